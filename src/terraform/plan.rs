//! Terraform plan JSON (`terraform show -json plan.out`) → a model of the planned
//! resources.
//!
//! Values come from `resource_changes[].change.after`; where `after_unknown` marks a value
//! (or a whole subtree) as unknown, it is Unknown ("known after apply"). Resources only
//! being deleted are left out. Spans point into the plan file: a value at its JSON node,
//! a resource's header at its `"address"`. Without `resource_changes`, `planned_values` is
//! read instead (its unknown values are simply absent there). A plan was produced with a
//! configured provider, so provider configurations are not checked (ER101).

use crate::diagnostic::Diagnostic;
use crate::model::schema::kind_from_tf;
use crate::model::{Dialect, Kind, Model, Object, ParentRef, Resource, UnitOutput, Val};
use crate::source::{FileId, SourceDb, Span};
use jsonc_parser::ast as j;
use jsonc_parser::common::Ranged;
use std::sync::Arc;

/// What a plan file yields.
/// What [`build`] returns.
struct PlanUnit {
    /// `None` when the file is not a plan after all (skipped silently).
    model: Option<Model>,
    diagnostics: Vec<Diagnostic>,
}

/// A plan's model; not `recognised` when the file does not parse or is not a plan after
/// all (a plan is counted as read only when it is evaluated).
pub fn build(db: &SourceDb, file: FileId) -> UnitOutput {
    let unit = build_plan(db, file);
    UnitOutput {
        recognised: unit.model.is_some(),
        models: unit.model.into_iter().collect(),
        diagnostics: unit.diagnostics,
        ..UnitOutput::default()
    }
}

fn build_plan(db: &SourceDb, file: FileId) -> PlanUnit {
    let read = match db.read(file) {
        Ok(t) => t,
        Err(e) => {
            return PlanUnit {
                model: None,
                diagnostics: vec![crate::core::unreadable_file(
                    Span::new(file, 0, 0),
                    e.to_string(),
                )],
            };
        }
    };
    let text: &str = &read;
    let opts = crate::jsonc::strict();
    let root = match jsonc_parser::parse_to_ast(text, &Default::default(), &opts) {
        Ok(r) => r.value,
        Err(e) => {
            let mut d = crate::jsonc::error_diagnostic(file, text, &e);
            d.help("regenerate the plan with `terraform show -json plan.out > plan.json`");
            return PlanUnit {
                model: None,
                diagnostics: vec![d],
            };
        }
    };
    let Some(j::Value::Object(top)) = root else {
        return PlanUnit {
            model: None,
            diagnostics: Vec::new(),
        };
    };
    if top.get("format_version").is_none() {
        return PlanUnit {
            model: None,
            diagnostics: Vec::new(),
        };
    }
    let cx = Cx { file };
    let config = top.get_object("configuration");
    let mut model = Model::default();
    if let Some(changes) = top.get_array("resource_changes") {
        for rc in changes.elements.iter().filter_map(|e| e.as_object()) {
            if let Some(r) = cx.resource_change(rc, config) {
                model.resources.push(r);
            }
        }
    } else if let Some(root_module) = top
        .get_object("planned_values")
        .and_then(|p| p.get_object("root_module"))
    {
        cx.planned_module(root_module, config, &mut model.resources);
    } else {
        return PlanUnit {
            model: None,
            diagnostics: Vec::new(),
        };
    }
    model.link();
    PlanUnit {
        model: Some(model),
        diagnostics: Vec::new(),
    }
}

struct Cx {
    file: FileId,
}

impl Cx {
    fn span(&self, r: &impl Ranged) -> Span {
        let r = r.range();
        Span::new(self.file, r.start, r.end)
    }

    fn resource_change(
        &self,
        rc: &j::Object<'_>,
        config: Option<&j::Object<'_>>,
    ) -> Option<Resource> {
        if rc.get_string("mode").is_some_and(|m| m.value != "managed") {
            return None;
        }
        let ty = rc.get_string("type")?;
        let kind = kind_from_tf(&ty.value)?;
        let change = rc.get_object("change")?;
        let actions: Vec<&str> = change
            .get_array("actions")
            .map(|a| {
                a.elements
                    .iter()
                    .filter_map(|e| e.as_string_lit())
                    .map(|s| &*s.value)
                    .collect()
            })
            .unwrap_or_default();
        if actions == ["delete"] {
            return None;
        }
        let after = change.get("after").map(|p| &p.value);
        let unknown = change.get("after_unknown").map(|p| &p.value);
        let body = match after {
            Some(v) => self.value(v, unknown),
            None => Val::object(Object::new(), Some(self.span(rc))),
        };
        let address = rc
            .get_string("address")
            .map(|s| s.value.to_string())
            .unwrap_or_default();
        self.resource(kind, rc, address, body, config)
    }

    fn planned_module(
        &self,
        m: &j::Object<'_>,
        config: Option<&j::Object<'_>>,
        out: &mut Vec<Resource>,
    ) {
        if let Some(rs) = m.get_array("resources") {
            for r in rs.elements.iter().filter_map(|e| e.as_object()) {
                if r.get_string("mode").is_some_and(|m| m.value != "managed") {
                    continue;
                }
                let Some(kind) = r.get_string("type").and_then(|t| kind_from_tf(&t.value)) else {
                    continue;
                };
                let body = match r.get("values") {
                    Some(v) => self.value(&v.value, None),
                    None => Val::object(Object::new(), Some(self.span(r))),
                };
                let address = r
                    .get_string("address")
                    .map(|s| s.value.to_string())
                    .unwrap_or_default();
                if let Some(res) = self.resource(kind, r, address, body, config) {
                    out.push(res);
                }
            }
        }
        if let Some(children) = m.get_array("child_modules") {
            for c in children.elements.iter().filter_map(|e| e.as_object()) {
                self.planned_module(c, config, out);
            }
        }
    }

    fn resource(
        &self,
        kind: Kind,
        obj: &j::Object<'_>,
        address: String,
        body: Val,
        config: Option<&j::Object<'_>>,
    ) -> Option<Resource> {
        let header = obj
            .get("address")
            .map(|p| self.span(p))
            .unwrap_or_else(|| self.span(obj));
        let parent_ref =
            super::circuit_parent(kind, &body).or_else(|| config_reference(config, &address));
        Some(Resource {
            parent_ref,
            ..Resource::new(kind, Dialect::PLAN, address, header, self.span(obj), body)
        })
    }

    /// A JSON value with its `after_unknown` mirror: `true` there means Unknown.
    fn value(&self, v: &j::Value<'_>, unknown: Option<&j::Value<'_>>) -> Val {
        let sp = Some(self.span(v));
        if let Some(j::Value::BooleanLit(b)) = unknown
            && b.value
        {
            return Val::unknown("known after apply (the plan marks it unknown)", sp);
        }
        match v {
            j::Value::NullKeyword(_) => Val::null(sp),
            j::Value::BooleanLit(b) => Val::bool(b.value, sp),
            j::Value::NumberLit(n) => Val::number(n.value.parse().unwrap_or(f64::NAN), sp),
            j::Value::StringLit(s) => Val::str(&*s.value, sp),
            j::Value::Array(a) => {
                let mirror = match unknown {
                    Some(j::Value::Array(m)) => Some(&m.elements),
                    _ => None,
                };
                Val::list(
                    a.elements
                        .iter()
                        .enumerate()
                        .map(|(i, e)| self.value(e, mirror.and_then(|m| m.get(i))))
                        .collect(),
                    sp,
                )
            }
            j::Value::Object(o) => {
                let mirror = match unknown {
                    Some(j::Value::Object(m)) => Some(m),
                    _ => None,
                };
                let mut out = Object::with_capacity(o.properties.len());
                for p in &o.properties {
                    let name = p.name.as_str();
                    out.push(
                        Arc::<str>::from(name),
                        self.value(&p.value, mirror.and_then(|m| m.get(name)).map(|x| &x.value)),
                    );
                }
                // Attributes the plan only lists as unknown.
                if let Some(m) = mirror {
                    for p in &m.properties {
                        let name = p.name.as_str();
                        if !out.contains_key(name)
                            && matches!(p.value, j::Value::BooleanLit(ref b) if b.value)
                        {
                            out.push(
                                Arc::<str>::from(name),
                                Val::unknown(
                                    "known after apply (the plan marks it unknown)",
                                    Some(self.span(p)),
                                ),
                            );
                        }
                    }
                }
                Val::object(out, sp)
            }
        }
    }
}

/// When the plan does not know the circuit name, the configuration's references say which
/// circuit it is: `express_route_circuit_name.references = ["azurerm_…circuit.main.name", …]`.
fn config_reference(config: Option<&j::Object<'_>>, address: &str) -> Option<ParentRef> {
    let (calls, prefix, resource) = split_address(address)?;
    let mut module = config?.get_object("root_module")?;
    for call in calls {
        module = module
            .get_object("module_calls")?
            .get_object(call)?
            .get_object("module")?;
    }
    let resources = module.get_array("resources")?;
    let r = resources
        .elements
        .iter()
        .filter_map(|e| e.as_object())
        .find(|r| r.get_string("address").is_some_and(|a| a.value == resource))?;
    let refs = r
        .get_object("expressions")?
        .get_object("express_route_circuit_name")?
        .get_array("references")?;
    let target = refs
        .elements
        .iter()
        .filter_map(|e| e.as_string_lit())
        .map(|s| s.value.to_string())
        .find(|s| s.starts_with("azurerm_express_route_circuit.") && s.matches('.').count() == 1)?;
    Some(ParentRef::Address(format!("{prefix}{target}")))
}

/// `module.a["x"].module.b.azurerm_x.y[0]` → (`[a, b]`, `module.a["x"].module.b.`,
/// `azurerm_x.y`).
fn split_address(address: &str) -> Option<(Vec<&str>, String, &str)> {
    let mut calls = Vec::new();
    let mut rest = address;
    let mut consumed = 0;
    while let Some(after) = rest.strip_prefix("module.") {
        let name_end = after.find(['.', '['])?;
        calls.push(after.get(..name_end)?);
        let mut i = name_end;
        if after.get(i..)?.starts_with('[') {
            // Skip the instance key, which may be a quoted string containing dots.
            let close = after.get(i..)?.find("].")?;
            i += close + 1;
        }
        let step = "module.".len() + i + 1;
        consumed += step;
        rest = address.get(consumed..)?;
    }
    let prefix = address.get(..consumed)?.to_string();
    let resource = rest.split('[').next()?;
    Some((calls, prefix, resource))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lookup, schema};

    const PLAN: &str = r#"{
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "resource_changes": [
    {
      "address": "azurerm_express_route_circuit.main",
      "mode": "managed",
      "type": "azurerm_express_route_circuit",
      "name": "main",
      "change": {
        "actions": ["create"],
        "after": {"name": "erc-1", "resource_group_name": "rg", "service_provider_name": "Equinix", "peering_location": "Amsterdam", "sku": [{"tier": "Standard", "family": "MeteredData"}]},
        "after_unknown": {"id": true, "sku": [{}]}
      }
    },
    {
      "address": "module.peering[\"east\"].azurerm_express_route_circuit_peering.this",
      "module_address": "module.peering[\"east\"]",
      "mode": "managed",
      "type": "azurerm_express_route_circuit_peering",
      "name": "this",
      "change": {
        "actions": ["create"],
        "after": {"peering_type": "AzurePrivatePeering", "primary_peer_address_prefix": "10.0.0.0/30", "secondary_peer_address_prefix": null, "vlan_id": 100},
        "after_unknown": {"express_route_circuit_name": true, "id": true}
      }
    },
    {
      "address": "azurerm_express_route_circuit.old",
      "mode": "managed",
      "type": "azurerm_express_route_circuit",
      "name": "old",
      "change": {"actions": ["delete"], "after": null}
    }
  ],
  "configuration": {
    "root_module": {
      "module_calls": {
        "peering": {
          "module": {
            "resources": [
              {"address": "azurerm_express_route_circuit_peering.this", "expressions": {"express_route_circuit_name": {"references": ["var.circuit_name"]}}}
            ]
          }
        }
      }
    }
  }
}"#;

    #[test]
    fn resources_values_and_unknowns() {
        let mut db = SourceDb::new(0);
        let f = db.add_text("plan.json", PLAN);
        let unit = build_plan(&db, f);
        assert!(unit.diagnostics.is_empty());
        let m = unit.model.unwrap();
        assert_eq!(m.resources.len(), 2, "deleted resources are left out");
        let p = &m.resources[1];
        assert_eq!(
            p.address,
            "module.peering[\"east\"].azurerm_express_route_circuit_peering.this"
        );
        assert!(matches!(
            p.get(&schema::SECONDARY_PREFIX),
            Lookup::Absent { written: true, .. }
        ));
        assert!(p.lookup(&["express_route_circuit_name"]).is_unknown());
        let c = &m.resources[0];
        let Lookup::Known(f) = c.get(&schema::SKU_TIER) else {
            panic!()
        };
        assert_eq!(f.as_str(), Some("Standard"));
        assert_eq!(
            &PLAN[c.header.range()],
            "\"address\": \"azurerm_express_route_circuit.main\""
        );
    }

    #[test]
    fn addresses_split_into_calls_and_resource() {
        let (calls, prefix, r) =
            split_address("module.a[\"x.y\"].module.b.azurerm_x.y[0]").unwrap();
        assert_eq!(calls, ["a", "b"]);
        assert_eq!(prefix, "module.a[\"x.y\"].module.b.");
        assert_eq!(r, "azurerm_x.y");
        assert_eq!(split_address("azurerm_x.y").unwrap().2, "azurerm_x.y");
    }

    #[test]
    fn not_a_plan_is_skipped() {
        let mut db = SourceDb::new(0);
        let f = db.add_text("package.json", "{\"name\": \"x\"}");
        assert!(build(&db, f).models.is_empty());
    }
}
