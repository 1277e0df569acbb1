//! Evidence about where the data goes: cross-border transfer declarations.

use super::*;

pub(super) fn destination(cx: &Context<'_>, dataset: &str) -> Option<String> {
    super::super::spec_for(cx.rules, dataset).and_then(|s| s.destination.clone())
}

pub(super) fn cross_border(cx: &Context<'_>, regime: Regime) -> Outcome {
    let mut lines = Vec::new();
    let mut status = Vec::new();
    for d in &cx.scan.datasets {
        let Some(dest) = destination(cx, &d.name) else {
            status.push(NeedsReview);
            lines.push(format!(
                "{}: no destination declared (compliance.destination)",
                d.name
            ));
            continue;
        };
        let sensitive = sensitive_records(cx.inventory, &d.name);
        match regime {
            Regime::Pipl if !country::outside_mainland_china(&dest) => {
                status.push(Pass);
                lines.push(format!(
                    "{}: destination {dest} (mainland China): no cross-border transfer",
                    d.name
                ));
            }
            Regime::Pipl => {
                let (people, deduplicated) = individuals(d);
                let counts = format!(
                    "{}: destination {dest} is outside mainland China; {people} individual(s){}, {sensitive} with sensitive personal information",
                    d.name,
                    if deduplicated {
                        format!(" (fuzzy-deduplicated from {} records)", d.rows)
                    } else {
                        " (records)".to_string()
                    }
                );
                lines.push(counts);
                let (s, line) = if people >= CAC_ASSESSMENT_INDIVIDUALS
                    || sensitive >= CAC_ASSESSMENT_SENSITIVE
                {
                    (
                        Fail,
                        format!(
                            "at or above {} individuals or {} with sensitive data: CAC security assessment required",
                            thousands(CAC_ASSESSMENT_INDIVIDUALS),
                            thousands(CAC_ASSESSMENT_SENSITIVE)
                        ),
                    )
                } else if people >= CAC_CONTRACT_INDIVIDUALS || sensitive > 0 {
                    (
                        Fail,
                        format!(
                            "at or above {} individuals, or sensitive data of fewer than {}: standard contract (filed) or certification required",
                            thousands(CAC_CONTRACT_INDIVIDUALS),
                            thousands(CAC_ASSESSMENT_SENSITIVE)
                        ),
                    )
                } else {
                    (
                        NeedsReview,
                        format!(
                            "under {} individuals and no sensitive data: exempt from the standard contract; notice and separate consent (Art. 39) still apply",
                            thousands(CAC_CONTRACT_INDIVIDUALS)
                        ),
                    )
                };
                status.push(s);
                lines.push(line);
            }
            Regime::Gdpr if country::in_eea(&dest) => {
                status.push(Pass);
                lines.push(format!(
                    "{}: destination {dest} is in the EEA: no Chapter V transfer",
                    d.name
                ));
            }
            Regime::Gdpr if country::gdpr_adequate(&dest) => {
                status.push(NeedsReview);
                lines.push(format!(
                    "{}: destination {dest} is outside the EEA with an adequacy decision (Art. 45); confirm the recipient is covered; {} record(s)",
                    d.name, d.rows
                ));
            }
            Regime::Gdpr => {
                status.push(Fail);
                lines.push(format!(
                    "{}: destination {dest} is outside the EEA without an adequacy decision: Art. 46 safeguards (SCCs, BCRs) or an Art. 49 derogation required; {} record(s)",
                    d.name, d.rows
                ));
            }
        }
    }
    (worst(status), lines)
}
