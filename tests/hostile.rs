//! Hostile input (issue 16): every class of input that once crashed, hung, exhausted
//! memory or passed a defect silently, each as a minimal input of its own, run through the
//! real binary. Each must use under 5 s of CPU time (debug build; CPU rather than wall
//! time, so that a loaded CI machine does not fail it) and 1 GiB, with the right exit code
//! and a located finding.

use assert_cmd::cargo::CommandCargoExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIME_LIMIT: Duration = Duration::from_secs(5);
const MEMORY_LIMIT_KIB: u64 = 1024 * 1024;

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The peak resident set of a running process, in KiB (Linux).
fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The CPU time (user + system, all threads) a running process has used so far (Linux;
/// still readable once it has exited and before it is reaped).
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 1000 / CLOCK_TICKS_PER_SECOND))
}

/// `sysconf(_SC_CLK_TCK)`, 100 on every Linux the tests run on.
const CLOCK_TICKS_PER_SECOND: u64 = 100;

/// Run erlint in `dir` with `args`, within the time and memory limits.
fn erlint(dir: &Path, args: &[&str]) -> Outcome {
    let out_file = dir.join(".erlint-test-stdout");
    let err_file = dir.join(".erlint-test-stderr");
    let mut child = Command::cargo_bin("erlint")
        .unwrap()
        .current_dir(dir)
        .env_remove("ERLINT_CONFIG")
        .env_remove("ARM_SUBSCRIPTION_ID")
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(std::fs::File::create(&out_file).unwrap())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut peak = 0;
    let mut cpu = Duration::ZERO;
    let status = loop {
        if let Some(kib) = peak_kib(child.id()) {
            peak = peak.max(kib);
        }
        if let Some(used) = cpu_time(child.id()) {
            cpu = cpu.max(used);
        }
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIME_LIMIT * 4 {
            child.kill().unwrap();
            panic!("erlint {args:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = start.elapsed();
    let stdout = std::fs::read_to_string(&out_file).unwrap();
    let stderr = std::fs::read_to_string(&err_file).unwrap();
    std::fs::remove_file(&out_file).unwrap();
    std::fs::remove_file(&err_file).unwrap();
    let shown = &args[..args.len().min(4)];
    eprintln!("erlint {shown:?}: {cpu:?} CPU, {took:?} wall, {peak} KiB");
    assert!(
        cpu < TIME_LIMIT,
        "erlint {args:?} used {cpu:?} of CPU ({took:?} wall)\n{stdout}\n{stderr}"
    );
    assert!(
        peak < MEMORY_LIMIT_KIB,
        "erlint {args:?} peaked at {peak} KiB"
    );
    Outcome {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A circuit, so that the directory is a unit erlint evaluates.
const CIRCUIT: &str = "resource \"azurerm_express_route_circuit\" \"c\" {\n  name = \"c\"\n}\n";

/// A peering with one BGP session (ER301), to show the rest of a unit is still checked.
const ONE_SESSION: &str = "resource \"azurerm_express_route_circuit_peering\" \"p\" {\n  peering_type                = \"AzurePrivatePeering\"\n  express_route_circuit_name  = \"erc\"\n  resource_group_name         = \"rg\"\n  peer_asn                    = 65010\n  vlan_id                     = 100\n  primary_peer_address_prefix = \"10.0.0.0/30\"\n}\n";

/// `file:line:col: severity code message` lines of `--format compact` with `code`.
fn findings<'a>(o: &'a Outcome, code: &str) -> Vec<&'a str> {
    o.stdout
        .lines()
        .filter(|l| l.contains(&format!(" {code} ")))
        .collect()
}

fn assert_finding(o: &Outcome, code: &str, at: &str, text: &str) {
    let f = findings(o, code);
    assert!(
        f.iter().any(|l| l.starts_with(at) && l.contains(text)),
        "no {code} at {at} with {text:?}:\n{}\n{}",
        o.stdout,
        o.stderr
    );
}

// 1. Cycles and depth.

#[test]
fn module_cycles_are_cycles() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let module = "variable \"x\" {}\noutput \"out\" { value = \"v\" }\n";
    write(d, "self/m/main.tf", module);
    write(
        d,
        "self/main.tf",
        "module \"a\" {\n  source = \"./m\"\n  x      = module.a.out\n}\n",
    );
    write(d, "mutual/m/main.tf", module);
    write(
        d,
        "mutual/main.tf",
        "module \"a\" {\n  source = \"./m\"\n  x      = module.b.out\n}\nmodule \"b\" {\n  source = \"./m\"\n  x      = module.a.out\n}\n",
    );
    write(d, "count/m/main.tf", module);
    write(
        d,
        "count/main.tf",
        "module \"a\" {\n  source = \"./m\"\n  count  = module.a[0].out\n  x      = 1\n}\n",
    );
    write(
        d,
        "locals/main.tf",
        &format!(
            "locals {{\n  a = local.b\n  b = \"${{local.c}}-x\"\n  c = local.a\n}}\n{CIRCUIT}"
        ),
    );
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stdout);
    assert_finding(&o, "ER001", "self/main.tf:3:12:", "(a cycle)");
    assert_finding(
        &o,
        "ER001",
        "mutual/main.tf:7:12:",
        "`module.a` → `module.b` → `module.a`",
    );
    assert_finding(&o, "ER001", "count/main.tf:3:12:", "(a cycle)");
    assert_finding(
        &o,
        "ER001",
        "locals/main.tf:4:7:",
        "`local.a` → `local.b` → `local.c` → `local.a`",
    );
    assert!(findings(&o, "ER000").is_empty());
}

/// Thousands of locals, each reading the next one (evaluated one inside the other), in
/// several units at once on rayon's worker threads.
#[test]
fn long_chains_of_references_are_bounded_in_every_thread() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut chain = String::from("locals {\n");
    for i in (1..=5000).rev() {
        chain.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    chain.push_str("  l0 = \"x\"\n}\n");
    chain.push_str(ONE_SESSION);
    for unit in ["a", "b", "c", "d"] {
        write(d, &format!("{unit}/main.tf"), &chain);
    }
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER005", "a/main.tf:", "1000 nested evaluations");
    // Each unit's own findings are kept.
    for unit in ["a", "b", "c", "d"] {
        assert_finding(
            &o,
            "ER301",
            &format!("{unit}/main.tf:5004:1:"),
            "one BGP session",
        );
    }
}

// 2. The evaluation budget.

#[test]
fn billion_laughs_and_doubling_are_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut laughs = String::from("locals {\n  b0 = [\"x\"]\n");
    for i in 1..=40 {
        laughs.push_str(&format!("  b{i} = [local.b{}, local.b{}]\n", i - 1, i - 1));
    }
    laughs.push_str("}\nresource \"azurerm_express_route_circuit\" \"c\" {\n  name = \"c\"\n  tags = { a = jsonencode(local.b40) }\n}\n");
    write(d, "laughs/main.tf", &laughs);
    let mut doubling = String::from("locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n  l0 = [\"x\"]\n");
    for i in 1..=40 {
        doubling.push_str(&format!(
            "  s{i} = \"${{local.s{p}}}${{local.s{p}}}\"\n  l{i} = concat(local.l{p}, local.l{p})\n",
            p = i - 1
        ));
    }
    doubling.push_str("}\n");
    doubling.push_str(CIRCUIT);
    write(d, "doubling/main.tf", &doubling);
    write(
        d,
        "for/main.tf",
        &format!(
            "locals {{\n  x = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : \"${{a}}${{b}}${{c}}\"]]]\n}}\n{CIRCUIT}"
        ),
    );
    write(
        d,
        "dynamic/main.tf",
        "resource \"azurerm_express_route_circuit\" \"c\" {\n  name = \"c\"\n  dynamic \"a\" {\n    for_each = range(1000)\n    content {\n      dynamic \"b\" {\n        for_each = range(1000)\n        content {\n          dynamic \"c\" {\n            for_each = range(1000)\n            content { v = \"x\" }\n          }\n        }\n      }\n    }\n  }\n}\n",
    );
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER005", "laughs/main.tf:", "1,000,000 elements");
    assert_finding(&o, "ER005", "doubling/main.tf:", "limit of");
    assert_finding(&o, "ER005", "for/main.tf:2:", "limit of");
    assert_finding(&o, "ER005", "dynamic/main.tf:", "limit of");
}

#[test]
fn module_fan_out_is_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "main.tf",
        "module \"m\" {\n  source = \"./m\"\n  count  = 10000\n}\n",
    );
    write(
        d,
        "m/main.tf",
        "module \"n\" {\n  source = \"../n\"\n  count  = 10000\n}\n",
    );
    write(
        d,
        "n/main.tf",
        "resource \"azurerm_express_route_circuit\" \"c\" {\n  count = 10000\n  name  = \"c\"\n}\n",
    );
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER005", "n/main.tf:1:1:", "50,000 resource instances");
}

#[test]
fn arm_billion_laughs_is_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut vars = vec![
        ("b0".to_string(), "[createArray('x')]".to_string()),
        ("s0".to_string(), "xxxxxxxxxxxxxxxx".to_string()),
    ];
    for i in 1..=40 {
        vars.push((
            format!("b{i}"),
            format!(
                "[createArray(variables('b{p}'), variables('b{p}'))]",
                p = i - 1
            ),
        ));
        vars.push((
            format!("s{i}"),
            format!("[concat(variables('s{p}'), variables('s{p}'))]", p = i - 1),
        ));
    }
    let vars: Vec<String> = vars
        .iter()
        .map(|(k, v)| format!("    \"{k}\": \"{v}\""))
        .collect();
    let template = format!(
        "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"variables\": {{\n{}\n  }},\n  \"resources\": [{{\n    \"type\": \"Microsoft.Network/expressRouteCircuits\", \"apiVersion\": \"2023-09-01\", \"name\": \"c\", \"location\": \"westeurope\",\n    \"tags\": {{ \"a\": \"[string(variables('b40'))]\", \"b\": \"[variables('s40')]\" }},\n    \"properties\": {{ \"serviceProviderProperties\": {{ \"serviceProviderName\": \"Equinix\", \"peeringLocation\": \"Amsterdam\", \"bandwidthInMbps\": 50 }} }}\n  }}]\n}}\n",
        vars.join(",\n")
    );
    write(d, "t.json", &template);
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER005", "t.json:", "limit of");
}

// 3. Quadratic costs.

#[test]
fn many_peerings_and_virtual_networks_are_not_quadratic() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "tf/main.tf",
        "resource \"azurerm_virtual_network\" \"v\" {\n  name          = \"v\"\n  address_space = [\"10.0.0.0/16\"]\n}\nresource \"azurerm_express_route_circuit_peering\" \"p\" {\n  count                         = 10000\n  peering_type                  = \"AzurePrivatePeering\"\n  express_route_circuit_name    = \"erc\"\n  resource_group_name           = \"rg\"\n  peer_asn                      = 65010\n  vlan_id                       = 100\n  primary_peer_address_prefix   = \"10.0.0.0/30\"\n  secondary_peer_address_prefix = \"10.0.0.4/30\"\n}\n",
    );
    write(
        d,
        "arm/t.json",
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    { "type": "Microsoft.Network/expressRouteCircuits/peerings", "apiVersion": "2023-09-01",
      "name": "[concat('c/p', copyIndex())]", "copy": { "name": "p", "count": 800 },
      "properties": { "peeringType": "AzurePrivatePeering", "peerASN": 65010, "vlanId": 100,
        "primaryPeerAddressPrefix": "10.0.0.0/30", "secondaryPeerAddressPrefix": "10.0.0.4/30" } },
    { "type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01",
      "name": "[concat('v', copyIndex())]", "copy": { "name": "v", "count": 800 }, "location": "westeurope",
      "properties": { "addressSpace": { "addressPrefixes": ["10.0.0.0/16"] } } }
  ]
}
"#,
    );
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(
        &o,
        "ER305",
        "tf/main.tf:12:",
        "overlaps the address space `10.0.0.0/16`",
    );
    assert_finding(
        &o,
        "ER305",
        "arm/t.json:8:",
        "overlaps the address space `10.0.0.0/16`",
    );
}

#[test]
fn a_huge_provider_name_gets_no_suggestion_work() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "main.tf",
        "resource \"azurerm_express_route_circuit\" \"c\" {\n  count                 = 20\n  name                  = \"c\"\n  service_provider_name = join(\"\", flatten([for i in range(100) : [for j in range(125) : \"Equinix \"]]))\n  peering_location      = \"Amsterdam\"\n  bandwidth_in_mbps     = 50\n}\n",
    );
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER201", "main.tf:4:27:", "is not an ExpressRoute");
}

#[test]
fn many_named_files_in_a_large_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "main.tf", ONE_SESSION);
    for i in 0..20_000 {
        std::fs::write(d.join(format!("f{i}.txt")), "").unwrap();
    }
    let mut named = vec!["--format".to_string(), "compact".to_string()];
    for i in 0..1000 {
        let name = format!("v{i}.tf");
        std::fs::write(d.join(&name), format!("variable \"v{i}\" {{}}\n")).unwrap();
        named.push(name);
    }
    named.push("main.tf".into());
    let args: Vec<&str> = named.iter().map(String::as_str).collect();
    let o = erlint(d, &args);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER301", "main.tf:1:1:", "one BGP session");
}

// 4. Output past column 65,535.

#[test]
fn findings_past_column_65535_are_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let pad = " ".repeat(70_000);
    write(
        d,
        "main.tf",
        &format!(
            "resource \"azurerm_express_route_circuit_peering\" \"p\" {{\n  peering_type = \"AzurePrivatePeering\"\n  vlan_id = 100\n  primary_peer_address_prefix ={pad}\"10.0.0.0/31\"\n}}\n"
        ),
    );
    let o = erlint(
        d,
        &["--format", "human", "--format", "compact=out.txt", "."],
    );
    assert_eq!(o.code, 1, "{}\n{}", o.stdout, o.stderr);
    // Human output: the finding with its line and column, and only the bytes around it
    // of the long line.
    assert!(o.stdout.contains("--> main.tf:4:70032\n"), "{}", o.stdout);
    assert!(o.stdout.contains("\"10.0.0.0/31\""), "{}", o.stdout);
    assert!(o.stdout.len() < 5_000, "{} bytes", o.stdout.len());
    assert!(o.stdout.contains("2 errors"), "{}", o.stdout);
    let compact = std::fs::read_to_string(d.join("out.txt")).unwrap();
    assert!(
        compact.contains("main.tf:4:70032: error ER303"),
        "{compact}"
    );
}

// 5. Format widths.

#[test]
fn huge_format_widths_evaluate_like_terraform_and_arm() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "tf/main.tf",
        &format!(
            "{ONE_SESSION}locals {{\n  a = format(\"%.65536f\", 1)\n  b = format(\"%.70000e\", 1)\n}}\nresource \"azurerm_express_route_circuit\" \"c\" {{\n  name = \"c\"\n  service_provider_name = substr(local.a, 0, 4)\n  tags = {{ b = local.b }}\n}}\n"
        ),
    );
    let zeros = "0".repeat(65_536);
    write(
        d,
        "arm/t.json",
        &format!(
            r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {{ "type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2023-09-01", "name": "c", "location": "westeurope",
      "tags": {{ "z": "[format('{{0:{zeros}}}', 1)]" }},
      "properties": {{ "serviceProviderProperties": {{ "serviceProviderName": "[substring(format('{{0:{zeros}}}', 1), 0, 4)]", "peeringLocation": "Amsterdam", "bandwidthInMbps": 50 }} }} }}
  ]
}}
"#
        ),
    );
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(findings(&o, "ER000").is_empty(), "{}", o.stdout);
    // The formatted values are known: `1.00` and `0000` are not providers.
    assert_finding(&o, "ER201", "tf/main.tf:15:27:", "`1.00`");
    assert_finding(&o, "ER201", "arm/t.json:7:", "`0000`");
    // The rest of the unit is still checked.
    assert_finding(&o, "ER301", "tf/main.tf:1:1:", "one BGP session");
}

// 6. Limits that would hide a defect.

#[test]
fn counts_above_the_limit_are_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "main.tf",
        "resource \"azurerm_express_route_circuit_peering\" \"p\" {\n  count                         = 20000\n  peering_type                  = \"AzurePrivatePeering\"\n  express_route_circuit_name    = \"erc\"\n  resource_group_name           = \"rg\"\n  peer_asn                      = 65010\n  vlan_id                       = 100\n  primary_peer_address_prefix   = \"10.0.0.0/30\"\n  secondary_peer_address_prefix = \"10.0.0.4/30\"\n}\n",
    );
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(
        &o,
        "ER005",
        "main.tf:2:35:",
        "`count` asks for 20000 instances; erlint expanded only the first 10,000",
    );
}

#[test]
fn arm_templates_above_50000_resources_are_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let loop_of = |i: usize| {
        format!(
            r#"    {{ "type": "Microsoft.Network/expressRouteCircuits", "apiVersion": "2023-09-01", "name": "[concat('c{i}-', copyIndex())]", "location": "westeurope", "copy": {{ "name": "l{i}", "count": 800 }} }}"#
        )
    };
    let loops: Vec<String> = (0..64).map(loop_of).collect();
    write(
        d,
        "t.json",
        &format!(
            "{{\n  \"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n  \"contentVersion\": \"1.0.0.0\",\n  \"resources\": [\n{}\n  ]\n}}\n",
            loops.join(",\n")
        ),
    );
    let o = erlint(d, &["--format", "compact", "--select", "ER0", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER005", "t.json:", "50,000 resources");
}

/// Module calls 40 deep (beyond the old limit of 32, reported as a cycle): the defect at
/// the bottom is found.
#[test]
fn deep_module_nesting_is_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "main.tf", "module \"m\" {\n  source = \"./m0\"\n}\n");
    for i in 0..40 {
        write(
            d,
            &format!("m{i}/main.tf"),
            &format!("module \"m\" {{\n  source = \"../m{}\"\n}}\n", i + 1),
        );
    }
    write(d, "m40/main.tf", ONE_SESSION);
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER301", "m40/main.tf:1:1:", "one BGP session");
    assert!(findings(&o, "ER004").is_empty(), "{}", o.stdout);
}

// 7. Silent skips.

#[cfg(unix)]
#[test]
fn odd_files_are_read_or_counted() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // A Terraform file whose name is not UTF-8: Terraform loads it, so does erlint.
    let name = std::ffi::OsStr::from_bytes(b"peering-\xff.tf");
    std::fs::write(d.join(name), ONE_SESSION).unwrap();
    let fifo = d.join("pipe.tf");
    let fifo_made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER301", "peering-\u{fffd}.tf:1:1:", "one BGP session");
    if fifo_made {
        assert!(
            o.stdout.contains("1 special file (FIFO, device) not read"),
            "{}",
            o.stdout
        );
    }
    // Named on the command line, too.
    let named = Command::cargo_bin("erlint")
        .unwrap()
        .current_dir(d)
        .arg("--format")
        .arg("compact")
        .arg(name)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&named.stdout);
    assert_eq!(named.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(" ER301 "), "{stdout}");
}

/// A 2 GiB file (sparse) where the callers search looks, and a repository configuration
/// that asks for no size limit: neither is read whole.
#[test]
fn size_limits_hold_in_the_callers_search_and_against_the_repository_config() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join(".git")).unwrap();
    write(d, ".erlint.toml", "max_file_size = 0\n");
    write(
        d,
        "modules/peering/main.tf",
        &format!("variable \"x\" {{}}\n{ONE_SESSION}"),
    );
    write(
        d,
        "env/prod/main.tf",
        "module \"p\" {\n  source = \"../../modules/peering\"\n  x      = 1\n}\n",
    );
    let huge = std::fs::File::create(d.join("env/huge.tf")).unwrap();
    huge.set_len(2 << 30).unwrap();
    drop(huge);
    // Pre-commit mode: the module's callers are searched for (env/huge.tf among them).
    let o = erlint(d, &["--format", "compact", "modules/peering/main.tf"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(
        &o,
        "ER301",
        "modules/peering/main.tf:2:1:",
        "one BGP session",
    );
    // Directory mode: the file is too large (the configuration's 0 is capped), ER002.
    let o = erlint(d, &["--format", "compact", "env"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER002", "env/huge.tf:", "");
}

/// Staged alone, a variable definitions file and a parameter file are read to find what
/// they configure: a 2 GiB one (sparse) is not read whole there either, and is ER002.
#[test]
fn size_limits_hold_for_staged_var_and_parameter_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join(".git")).unwrap();
    write(d, "env/prod/main.tf", "variable \"x\" {}\n");
    write(d, "arm/main.json", "{}\n");
    // What a parameter file starts with, so that it is known as one (and not skipped as
    // other JSON), then zeros.
    let starts = [
        ("env/prod/prod.tfvars", ""),
        (
            "arm/main.parameters.json",
            "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#\", \"metadata\": {\"template\": \"main.json\"}, ",
        ),
    ];
    for (name, start) in starts {
        write(d, name, start);
        let huge = std::fs::OpenOptions::new()
            .write(true)
            .open(d.join(name))
            .unwrap();
        huge.set_len(2 << 30).unwrap();
    }
    let o = erlint(
        d,
        &[
            "--format",
            "compact",
            "env/prod/prod.tfvars",
            "arm/main.parameters.json",
        ],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER002", "env/prod/prod.tfvars:", "");
    assert_finding(&o, "ER002", "arm/main.parameters.json:", "");
}

// 8. Output.

#[test]
fn a_closed_stdout_still_gets_the_files_written_and_the_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut many = String::new();
    for i in 0..300 {
        many.push_str(&ONE_SESSION.replace("\"p\"", &format!("\"p{i}\"")));
    }
    write(d, "main.tf", &many);
    let mut child = Command::cargo_bin("erlint")
        .unwrap()
        .current_dir(d)
        .env("NO_COLOR", "1")
        .args(["--format", "human", "--format", "json=out.json", "."])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -c 1`: read one byte, then close the pipe.
    {
        use std::io::Read;
        let mut out = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        out.read_exact(&mut one).unwrap();
    }
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["errors"], 300);
}

#[test]
fn control_characters_from_values_are_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "main.tf",
        "resource \"azurerm_express_route_circuit\" \"c\" {\n  name                  = \"c\"\n  service_provider_name = \"Acme\\u001b[2K\\r::error::forged\\u0007\\u202e\"\n  peering_location      = \"Amsterdam\"\n  bandwidth_in_mbps     = 50\n}\n",
    );
    // Escaped once, by the linter, in the same spelling in every format (gitlab and azure
    // make controls visible on their own too: never a second time).
    let visible = "Acme\\u{1b}[2K\\u{d}::error::forged\\u{7}\\u{202e}";
    for format in [
        "human",
        "compact",
        "json",
        "sarif",
        "junit",
        "github",
        "checkstyle",
        "gitlab",
        "azure",
    ] {
        let o = erlint(d, &["--format", format, "."]);
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(!o.stdout.contains('\u{1b}'), "{format}: {:?}", o.stdout);
        assert!(!o.stdout.contains('\u{7}'), "{format}: {:?}", o.stdout);
        assert!(!o.stdout.contains('\r'), "{format}: {:?}", o.stdout);
        assert!(!o.stdout.contains('\u{202e}'), "{format}: {:?}", o.stdout);
        let texts = match serde_json::from_str::<serde_json::Value>(&o.stdout) {
            Ok(v) => strings_in(&v),
            Err(_) => vec![o.stdout.clone()],
        };
        assert!(
            texts.iter().any(|t| t.contains(visible)),
            "{format}: {}",
            o.stdout
        );
        assert!(
            !texts.iter().any(|t| t.contains("\\\\u{")),
            "{format} escaped twice: {}",
            o.stdout
        );
    }
}

/// Every string in a JSON document.
fn strings_in(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a.iter().flat_map(strings_in).collect(),
        serde_json::Value::Object(o) => o.values().flat_map(strings_in).collect(),
        _ => Vec::new(),
    }
}

// 9. The configuration's changes are shown.

#[test]
fn the_summary_counts_rules_the_configuration_relaxed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        ".erlint.toml",
        "[rules]\nER301 = \"off\"\nER101 = \"off\"\nER410 = \"info\"\n",
    );
    write(d, "main.tf", ONE_SESSION);
    let o = erlint(d, &["."]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(
        o.stdout
            .contains("3 rules turned off or lowered by the configuration"),
        "{}",
        o.stdout
    );
}

#[test]
fn the_summary_tells_rules_the_command_line_left_out_from_the_configurations() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "main.tf", ONE_SESSION);
    // `--select` alone: no rule is the configuration's doing.
    let o = erlint(d, &["--select", "ER3", "."]);
    let n = erlint::rules::RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.checks_model() && !m.id.starts_with("ER3"))
        .count();
    assert!(
        o.stdout
            .contains(&format!("{n} rules left out by --select or --ignore")),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("by the configuration"), "{}", o.stdout);
    // With a configuration too, each counted once, by what left it out first.
    write(
        d,
        ".erlint.toml",
        "[rules]\nER301 = \"off\"\nER410 = \"info\"\n",
    );
    let o = erlint(d, &["--ignore", "ER302", "--ignore", "ER301", "."]);
    assert!(
        o.stdout
            .contains("2 rules turned off or lowered by the configuration, 1 rule left out by --select or --ignore"),
        "{}",
        o.stdout
    );
}

// 10. Deep nesting Terraform accepts.

#[test]
fn nesting_deeper_than_the_parser_reads_is_a_limit_not_a_syntax_error() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let deep = format!(
        "locals {{\n  x = {}1{}\n}}\n{CIRCUIT}",
        "[".repeat(300),
        "]".repeat(300)
    );
    write(d, "main.tf", &deep);
    let o = erlint(d, &["--format", "compact", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_finding(&o, "ER005", "main.tf:2:", "at most 256 levels");
    assert!(findings(&o, "ER001").is_empty(), "{}", o.stdout);
}

/// Every kind of nesting HCL has, as an attribute (or nested blocks) of a peering with one
/// BGP session (ER301), so that the unit is evaluated and checked: the kind, the most
/// repetitions that stay within 256 levels, and the text with `r` repetitions. Levels: the
/// resource block, then one per repetition (two for `-(` and `(c ? `: the operand or branch,
/// and the parentheses), and one more for the innermost list of `for`.
type Nesting = (&'static str, usize, fn(usize) -> String);

fn nestings() -> Vec<Nesting> {
    fn attr(e: String) -> String {
        ONE_SESSION.replace("\n}\n", &format!("\n  deep = {e}\n}}\n"))
    }
    fn wrap(r: usize, open: &str, inner: &str, close: &str) -> String {
        attr(format!("{}{inner}{}", open.repeat(r), close.repeat(r)))
    }
    vec![
        ("list", 255, |r| wrap(r, "[", "1", "]")),
        ("object", 255, |r| wrap(r, "{ a = ", "1", " }")),
        ("parentheses", 255, |r| wrap(r, "(", "1", ")")),
        ("call", 255, |r| wrap(r, "abs(", "-1", ")")),
        ("index", 255, |r| wrap(r, "[", "1", "][0]")),
        ("interpolation", 255, |r| wrap(r, "\"${", "1", "}\"")),
        ("unary", 127, |r| wrap(r, "-(", "1", ")")),
        ("conditional", 127, |r| wrap(r, "(true ? ", "1", " : 0)")),
        ("for", 254, |r| wrap(r, "[for v in ", "[1]", " : v]")),
        ("directive", 255, |r| {
            attr(format!(
                "\"{}x{}\"",
                "%{ if true }".repeat(r),
                "%{ endif }".repeat(r)
            ))
        }),
        ("block", 255, |r| {
            let blocks = format!("{}{}", "deep {\n".repeat(r), "}\n".repeat(r));
            ONE_SESSION.replace("\n}\n", &format!("\n{blocks}}}\n"))
        }),
    ]
}

/// Terraform has no nesting limit; erlint reads 256 levels of every kind (parse, syntax
/// tree, evaluation, rules) in a debug build on a 2 MiB thread (the size of rayon's
/// workers), and one level more is an ER005 that says so, not an ER001.
#[test]
fn nesting_256_levels_deep_is_read_on_a_small_stack() {
    let small = std::thread::Builder::new().stack_size(2 << 20);
    small
        .spawn(|| {
            for (kind, deepest, text) in nestings() {
                let found = erlint::fuzzing::lint_hcl(&text(deepest));
                let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
                assert!(
                    codes.contains(&"ER301") && !codes.iter().any(|c| c.starts_with("ER00")),
                    "{kind}: {found:?}"
                );
                let found = erlint::fuzzing::lint_hcl(&text(deepest + 1));
                assert!(
                    found
                        .iter()
                        .any(|d| d.code == "ER005" && d.message.contains("at most 256 levels")),
                    "{kind}: {found:?}"
                );
                assert!(!found.iter().any(|d| d.code == "ER001"), "{kind}");
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
