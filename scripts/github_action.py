#!/usr/bin/env python3
"""The steps of erlint's GitHub Action (action.yml), testable outside GitHub.

  python3 scripts/github_action.py install
      Installs erlint==$ERLINT_VERSION (the wheel that carries the binary) into a
      virtual environment under $RUNNER_TEMP; sets the step output `erlint` to the
      binary's path.

  python3 scripts/github_action.py run
      Runs erlint ($ERLINT_BIN) with the action's inputs ($INPUT_PATHS, $INPUT_ARGS,
      $INPUT_FAIL_ON, $INPUT_SARIF, $INPUT_SARIF_FILE, $INPUT_ANNOTATIONS), and:
      - prints GitHub annotations (`--format github`) unless SARIF goes to code
        scanning: by default a finding is an annotation or a code scanning alert, never
        both (`annotations: true` asks for both);
      - writes the SARIF file when `sarif` is true (action.yml uploads it);
      - appends a Markdown summary of every finding to $GITHUB_STEP_SUMMARY: GitHub
        shows at most 10 annotations of each level per step and 50 per job, the summary
        holds the rest;
      - sets the step outputs `exit-code` (erlint's: 0, 1 findings at or above
        --fail-on, 2 could not run), `findings`, `errors`, `warnings`, `sarif-file`.
      It exits 0 itself: action.yml uploads the SARIF file, then fails the job with
      erlint's exit code.

Only the standard library is used.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
import urllib.parse
import venv
from pathlib import Path

# GitHub's limit for one step's summary is 1 MiB; stop adding rows well before it.
SUMMARY_LIMIT = 900_000
ANNOTATIONS_SHOWN = "GitHub shows at most 10 annotations of each level per step (50 per job)"


def output(name: str, value: str) -> None:
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"{name}={value}\n")


def install() -> None:
    version = os.environ.get("ERLINT_VERSION", "").strip()
    if not version:
        raise SystemExit("the `version` input is empty")
    home = Path(os.environ.get("RUNNER_TEMP") or tempfile.gettempdir()) / f"erlint-{version}"
    venv.EnvBuilder(with_pip=True, clear=True).create(home)
    scripts = home / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         f"erlint=={version}"],
        check=True,
    )
    erlint = scripts / ("erlint.exe" if os.name == "nt" else "erlint")
    subprocess.run([str(erlint), "--version"], check=True)
    output("erlint", str(erlint))


def truthy(name: str, default: str = "false") -> bool:
    return os.environ.get(name, default).strip().lower() in ("true", "1", "yes")


def cell(text: str) -> str:
    """Text for one Markdown table cell: HTML escaped, on one line, no `|`, control
    characters made visible."""
    out = []
    for c in text:
        if c == "\n":
            out.append("<br>")
        elif c == "\r":
            continue
        elif c in "|":
            out.append("\\|")
        elif c == "&":
            out.append("&amp;")
        elif c == "<":
            out.append("&lt;")
        elif c == ">":
            out.append("&gt;")
        elif ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F:
            out.append(f"\\u{{{ord(c):x}}}")
        else:
            out.append(c)
    return "".join(out)


def repo_path(file: str) -> str | None:
    """`file` (as erlint shows it: relative to the current directory, or absolute)
    relative to the checkout, `/`-separated; None outside it."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace:
        return None
    rel = os.path.relpath(os.path.abspath(file), os.path.abspath(workspace))
    if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def location(d: dict) -> str:
    line = d["start"]["line"]
    where = f"{d['file']}:{line}:{d['start']['column']}"
    path = repo_path(d["file"])
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    repo = os.environ.get("GITHUB_REPOSITORY")
    sha = os.environ.get("GITHUB_SHA")
    if path is None or not repo or not sha:
        return cell(where)
    url = f"{server}/{repo}/blob/{sha}/{urllib.parse.quote(path)}#L{line}"
    return f"[{cell(path)}:{line}:{d['start']['column']}]({url})"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def gaps(s: dict) -> list:
    """What the run did not look at, as erlint's own summary line says it."""
    g = s.get("gaps") or {}
    out = []
    if g.get("relaxed_rules"):
        out.append(f"{plural(g['relaxed_rules'], 'rule')} turned off or lowered by the configuration")
    if g.get("unselected_rules"):
        out.append(f"{plural(g['unselected_rules'], 'rule')} left out by --select or --ignore")
    if g.get("special_files"):
        out.append(f"{plural(g['special_files'], 'special file')} (FIFO, device) not read")
    if g.get("unapplied_var_files"):
        out.append(
            f"{plural(g['unapplied_var_files'], 'variable definitions file')} not applied "
            "(`terraform.var_files` or `--var-file` applies them)"
        )
    if g.get("unpaired_parameter_files"):
        n = g["unpaired_parameter_files"]
        out.append(f"{plural(n, 'parameter file')} no template {'was' if n == 1 else 'were'} linted with")
    return out


def summary(report: dict, sarif: bool, annotations: bool, fail_on: str) -> str:
    diags = report["diagnostics"]
    s = report["summary"]
    head = (
        f"{plural(s['errors'], 'error')}, {plural(s['warnings'], 'warning')}"
        + (f", {plural(s['infos'], 'info')}" if s.get("infos") else "")
        + f" in {plural(s['files'], 'file')} ({s['resources']} resources checked)"
    )
    lines = [f"### erlint: {head}", ""]
    not_checked = gaps(s)
    if not_checked:
        lines += ["Not checked: " + "; ".join(not_checked) + ".", ""]
    hidden = []
    if s.get("suppressed"):
        hidden.append(f"{s['suppressed']} suppressed")
    if s.get("baselined"):
        hidden.append(f"{s['baselined']} in the baseline")
    if not diags:
        lines.append("No ExpressRoute problems found." + (f" ({', '.join(hidden)}.)" if hidden else ""))
        return "\n".join(lines) + "\n"
    if sarif and not annotations:
        lines.append(
            "The findings are uploaded to code scanning (category `erlint`): the pull "
            "request shows them as code scanning alerts. All of them:"
        )
    else:
        lines.append(f"{ANNOTATIONS_SHOWN}; all {plural(len(diags), 'finding')} are listed here.")
    lines += ["", "| Severity | Rule | Where | Finding |", "| --- | --- | --- | --- |"]
    size = sum(len(l) + 1 for l in lines)
    for i, d in enumerate(diags):
        finding = cell(d["message"])
        if d.get("resource"):
            finding += f"<br>in <code>{cell(d['resource'])}</code>"
        if d.get("help"):
            finding += f"<br>help: {cell(d['help'])}"
        row = (
            f"| {d['severity']} | [{d['code']}]({d['url']}) {d['name']} | {location(d)} "
            f"| {finding} |"
        )
        if size + len(row) > SUMMARY_LIMIT:
            lines.append("")
            lines.append(
                f"… and {plural(len(diags) - i, 'more finding')}, left out to keep this "
                "summary under GitHub's size limit (the SARIF and JSON outputs have all)."
            )
            break
        lines.append(row)
        size += len(row) + 1
    lines.append("")
    if hidden:
        lines.append(f"Not counted: {', '.join(hidden)}.")
    if fail_on:
        lines.append(f"The step fails on findings at or above `{fail_on}`.")
    return "\n".join(lines) + "\n"


def run() -> int:
    erlint = os.environ.get("ERLINT_BIN") or "erlint"
    paths = os.environ.get("INPUT_PATHS", ".").split()
    extra = shlex.split(os.environ.get("INPUT_ARGS", ""))
    fail_on = os.environ.get("INPUT_FAIL_ON", "").strip()
    sarif = truthy("INPUT_SARIF")
    sarif_file = os.environ.get("INPUT_SARIF_FILE", "").strip() or "erlint.sarif"
    mode = os.environ.get("INPUT_ANNOTATIONS", "auto").strip().lower()
    annotations = (not sarif) if mode in ("", "auto") else mode in ("true", "1", "yes")

    tmp = Path(os.environ.get("RUNNER_TEMP") or tempfile.gettempdir())
    tmp.mkdir(parents=True, exist_ok=True)
    fd, json_name = tempfile.mkstemp(prefix="erlint-", suffix=".json", dir=tmp)
    os.close(fd)
    json_path = Path(json_name)
    cmd = [erlint, *paths, "--format", f"json={json_path}"]
    if annotations:
        cmd += ["--format", "github"]
    if sarif:
        Path(sarif_file).parent.mkdir(parents=True, exist_ok=True)
        cmd += ["--format", f"sarif={sarif_file}"]
    if fail_on:
        cmd += ["--fail-on", fail_on]
    cmd += extra
    print("erlint " + " ".join(shlex.quote(a) for a in cmd[1:]), file=sys.stderr, flush=True)
    code = subprocess.run(cmd).returncode

    report = None
    if code in (0, 1):
        try:
            report = json.loads(json_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            report = None
    json_path.unlink(missing_ok=True)
    if report is None:
        text = (
            f"### erlint could not run\n\nerlint exited with code {code}; "
            "its message is in the step's log.\n"
        )
        code = code or 2
    else:
        text = summary(report, sarif, annotations, fail_on)
        s = report["summary"]
        output("findings", str(len(report["diagnostics"])))
        output("errors", str(s["errors"]))
        output("warnings", str(s["warnings"]))
        if sarif:
            output("sarif-file", sarif_file)
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        with open(summary_path, "a", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stderr.write(text)
    output("exit-code", str(code))
    return 0


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "install":
        install()
    elif command == "run":
        sys.exit(run())
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
