//! What the ER2xx rules share: reading a circuit's provider and peering location, the
//! cloud they are checked against, and ordering locations by closeness.

use crate::catalog::{Catalog, Cloud, Location, normalize};
use crate::model::{Attr, Found, Lookup, Model, Resource};
use crate::rules::{Ctx, RuleSettings};
use crate::source::Span;

/// The cloud a circuit's provider and peering location are checked against.
pub(crate) struct CloudScope {
    /// `None`: any cloud (ARM templates, an Unknown or unrecognised `environment`).
    pub cloud: Option<Cloud>,
    /// The provider block's `environment` value, when that chose the cloud.
    pub at: Option<Span>,
    /// How the cloud was chosen, for notes.
    pub why: String,
    /// The Terraform provider whose `environment` chooses the cloud (`azurerm`), when the
    /// resource is deployed through one.
    pub provider: Option<&'static str>,
}

impl CloudScope {
    /// "in the Azure public cloud" / "in any Azure cloud".
    pub fn describe(&self) -> String {
        match self.cloud {
            Some(c) => format!("in the {}", c.display()),
            None => "in any Azure cloud".to_string(),
        }
    }
}

/// The cloud of a circuit: the `environment` of the Terraform provider configuration it
/// uses (else `ARM_ENVIRONMENT`, else the public cloud); an Unknown or unrecognised
/// environment, and no provider configuration (an ARM template or Bicep file names no
/// cloud; a module linted on its own or a plan has its caller's), mean any.
pub(crate) fn cloud_scope(cx: &Ctx<'_>, model: &Model, res: &Resource) -> CloudScope {
    cloud_scope_with(cx.settings, model, res)
}

/// [`cloud_scope`] with the run's settings (for callers outside a rule: the resource
/// listing an editor completes names from).
pub(crate) fn cloud_scope_with(
    settings: &RuleSettings,
    model: &Model,
    res: &Resource,
) -> CloudScope {
    let provider = res.dialect.source.provider();
    let Some(config) = res.provider.and_then(|i| model.providers.get(i)) else {
        return CloudScope {
            cloud: None,
            at: None,
            why: res.dialect.source.unnamed_cloud().into(),
            provider,
        };
    };
    let config = Some(config);
    if let Some((p, block)) = config.and_then(|p| p.block.as_ref().map(|b| (p, b))) {
        match block.get("environment") {
            Lookup::Known(f) => {
                let written = f.val.to_string();
                let cloud = f.val.as_str().and_then(Cloud::parse);
                let why = match cloud {
                    Some(_) => format!(
                        "provider `{}` sets `environment = \"{written}\"`",
                        p.address
                    ),
                    None => format!(
                        "provider `{}` sets `environment = \"{written}\"`, for which erlint has no catalogue",
                        p.address
                    ),
                };
                return CloudScope {
                    cloud,
                    at: Some(f.at),
                    why,
                    provider,
                };
            }
            Lookup::Unknown { .. } => {
                return CloudScope {
                    cloud: None,
                    at: None,
                    why: format!("the `environment` of provider `{}` is not known", p.address),
                    provider,
                };
            }
            Lookup::Absent { .. } => {}
        }
    }
    match settings.arm_environment.as_deref() {
        Some(env) => CloudScope {
            cloud: Cloud::parse(env),
            at: None,
            why: format!("ARM_ENVIRONMENT is `{env}`"),
            provider,
        },
        None => CloudScope {
            cloud: Some(Cloud::Global),
            at: None,
            why: format!(
                "the {} provider defaults to `environment = \"public\"`",
                provider.unwrap_or("azurerm")
            ),
            provider,
        },
    }
}

/// A Known, non-blank string attribute (Unknown is recorded for `--report-unknown`).
pub(crate) fn known_str<'r>(
    cx: &mut Ctx<'_>,
    res: &'r Resource,
    attr: &Attr,
) -> Option<(Found<'r>, &'r str)> {
    match cx.get(res, attr) {
        Lookup::Known(f) => {
            let s = f.val.as_str()?;
            (!s.trim().is_empty()).then_some((f, s))
        }
        _ => None,
    }
}

/// The same, without recording a skipped check (for values that only refine a message).
pub(crate) fn peek_str<'r>(res: &'r Resource, attr: &Attr) -> Option<&'r str> {
    res.known_str(attr)
        .map(|(s, _)| s)
        .filter(|s| !s.trim().is_empty())
}

/// The locations named `name` in the scope's cloud (or in any cloud).
pub(crate) fn locations_in<'c>(
    catalog: &'c Catalog,
    name: &str,
    cloud: Option<Cloud>,
) -> Vec<&'c Location> {
    match cloud {
        Some(c) => catalog.location(name, Some(c)).into_iter().collect(),
        None => catalog.locations_named(name),
    }
}

/// `locations` ordered by closeness to `target`: the same city first, then the same
/// geopolitical region, then the same pricing zone, then the rest; by name within each.
pub(crate) fn closest_first<'c>(
    target: &Location,
    mut locations: Vec<&'c Location>,
) -> Vec<&'c Location> {
    let city = |l: &Location| {
        l.metro_of.clone().unwrap_or_else(|| {
            l.name
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .to_string()
        })
    };
    let target_city = city(target);
    let rank = |l: &Location| -> u8 {
        if city(l) == target_city {
            0
        } else if target.geopolitical().is_some() && l.geopolitical() == target.geopolitical() {
            1
        } else if target.zone.is_some() && l.zone == target.zone {
            2
        } else {
            3
        }
    };
    locations.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then_with(|| normalize(&a.name).cmp(&normalize(&b.name)))
    });
    locations
}

/// Where Microsoft's table lists a carrier: `Seattle through Equinix; Hamburg through
/// Equinix and Megaport`.
pub(crate) fn show_listings(listings: &[(&str, &[String])]) -> String {
    listings
        .iter()
        .map(|(l, via)| format!("{l} through {}", crate::text::join_names(via, false)))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::catalog::Catalog;
    use crate::diagnostic::Diagnostic;
    use crate::model::testing::resource;
    use crate::model::{
        Dialect, Kind, Model, Object, ProviderBlock, ProviderConfig, Resource, Val,
    };
    use crate::rules::{RuleSettings, check_model};
    use crate::source::{FileId, Span};

    /// A Terraform circuit with these attributes.
    pub fn tf(provider: &str, location: &str) -> Resource {
        resource(
            Kind::Circuit,
            Dialect::AZURERM,
            serde_json::json!({
                "name": "er",
                "service_provider_name": provider,
                "peering_location": location,
                "bandwidth_in_mbps": 200,
                "sku": [{"tier": "Standard", "family": "MeteredData"}],
            }),
        )
    }

    /// An ARM circuit with these properties.
    pub fn arm(provider: &str, location: &str) -> Resource {
        resource(
            Kind::Circuit,
            Dialect::ARM,
            serde_json::json!({
                "name": "er",
                "sku": {"name": "Standard_MeteredData", "tier": "Standard", "family": "MeteredData"},
                "properties": {"serviceProviderProperties": {
                    "serviceProviderName": provider,
                    "peeringLocation": location,
                    "bandwidthInMbps": 200,
                }},
            }),
        )
    }

    /// Put `res` under an azurerm provider configuration whose block holds the string
    /// attributes of `block` (in another file, so labels there are distinct).
    pub fn with_provider(mut res: Resource, block: serde_json::Value) -> Model {
        let sp = Span::new(FileId(1), 0, 1);
        let mut o = Object::new();
        if let serde_json::Value::Object(m) = block {
            for (k, v) in m {
                let at = Some(Span::new(FileId(1), 10, 20));
                let val = match v.as_str() {
                    Some("<unknown>") => Val::unknown("test unknown", at),
                    Some(s) => Val::str(s, at),
                    None => Val::null(at),
                };
                o.insert(k.as_str(), val);
            }
        }
        res.provider = Some(0);
        Model {
            resources: vec![res],
            providers: vec![ProviderConfig {
                address: "azurerm".into(),
                alias: None,
                block: Some(ProviderBlock {
                    header: sp,
                    extent: Span::new(FileId(1), 0, 1000),
                    body: Val::object(o, Some(sp)),
                }),
                root: ".".into(),
                first_use: None,
            }],
            ..Model::default()
        }
    }

    /// A model holding `res`; a resource deployed through a Terraform provider uses its
    /// default configuration of a root without a provider block (so the public cloud).
    pub fn model(mut res: Resource) -> Model {
        let mut providers = Vec::new();
        if res.dialect.source.provider().is_some() {
            res.provider = Some(0);
            providers.push(ProviderConfig {
                address: "azurerm".into(),
                alias: None,
                block: None,
                root: ".".into(),
                first_use: None,
            });
        }
        Model {
            resources: vec![res],
            providers,
            ..Model::default()
        }
    }

    /// Run every rule with these settings; the diagnostics with `code`.
    pub fn run_with(model: &Model, settings: &RuleSettings, code: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check_model(model, Catalog::bundled(), settings, &|_| true, &mut out);
        out.retain(|d| d.code == code);
        out
    }

    pub fn run(model: &Model, code: &str) -> Vec<Diagnostic> {
        run_with(model, &RuleSettings::default(), code)
    }

    /// The one diagnostic with `code` (message and help joined, for asserting on).
    pub fn one(model: &Model, code: &str) -> String {
        let d = run(model, code);
        assert_eq!(d.len(), 1, "{code}: {d:#?}");
        let d = &d[0];
        format!("{} || {}", d.message, d.help.clone().unwrap_or_default())
    }
}
