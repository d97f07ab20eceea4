//! Adds, updates or removes the patterns of one workload: what podsmith added before (by its
//! record) is taken out, what the patterns need now is computed, checked against the pod and
//! put in, and the result must not fail validation where the workload did not before.

use crate::add::inject::Additions;
use crate::add::stream_edit::{ConfigMapNames, Totals};
use crate::add::target::{self, Workload};
use crate::add::{conflicts, inject, pod_edit, Record, Request};
use crate::error::{Error, Result};
use crate::kube_version::KubeVersion;
use crate::patterns::Pattern;
use crate::render::Engine;
use crate::validate::{self, Severity};
use crate::yaml::Node;

/// What editing one workload did.
#[derive(Default)]
pub(super) struct Outcome {
    /// Whether the object changed.
    pub(crate) changed: bool,
    /// ConfigMaps podsmith wrote before and that go now.
    pub(crate) dropped: ConfigMapNames,
    /// ConfigMaps to write after the workload.
    pub(crate) config_maps: Vec<Node>,
}

/// Adds, updates or removes the patterns of one object, if it is a targeted workload.
pub(super) fn edit(
    object: &mut Node,
    request: &Request,
    engine: &Engine,
    config_maps: &ConfigMapNames,
    totals: &mut Totals,
) -> Result<Outcome> {
    let Some(workload) = Workload::of(object) else {
        return Ok(Outcome::default());
    };
    totals.seen.push(workload.clone());
    if !request.selection.selects(&workload, object) || !request.edits_patterns() {
        return Ok(Outcome::default());
    }
    totals.selected += 1;
    let record = Record::read(object, &workload)?;
    let recorded = record.as_ref().map_or(&[][..], |r| r.patterns.as_slice());
    let patterns = request.desired(recorded, &workload)?;
    if record
        .as_ref()
        .is_some_and(|record| up_to_date(record, &patterns, request))
    {
        return Ok(Outcome::default());
    }
    let before = object.clone();
    let mut outcome = Outcome {
        changed: true,
        ..Outcome::default()
    };
    if let Some(record) = &record {
        pod_edit::undo(object, &workload, record)?;
        outcome.dropped = record
            .added
            .config_maps
            .iter()
            .map(|name| (workload.namespace.clone(), name.clone()))
            .collect();
    }
    if patterns.is_empty() {
        Record::write(None, object)?;
        return Ok(outcome);
    }
    let others: ConfigMapNames = config_maps
        .iter()
        .filter(|id| !outcome.dropped.contains(id))
        .cloned()
        .collect();
    let requested = request
        .container
        .as_deref()
        .or(record.as_ref().map(|r| r.container.as_str()));
    let (record, additions, notes) = put_in(
        object, &workload, requested, patterns, request, engine, &others,
    )?;
    totals.warnings.extend(notes);
    Record::write(Some(&record), object)?;
    check_valid(&before, object, &additions.config_maps, request.version)?;
    totals.warnings.extend(additions.warnings);
    outcome.config_maps = additions.config_maps;
    Ok(outcome)
}

/// Whether the workload already has `patterns`, for this version and the requested container.
fn up_to_date(record: &Record, patterns: &[Pattern], request: &Request) -> bool {
    let same_container = request
        .container
        .as_ref()
        .is_none_or(|c| *c == record.container);
    record.patterns == patterns && record.kube_version == request.version && same_container
}

/// Puts what `patterns` need into the workload's pod, around the `requested` app container
/// (else the one `add` finds); fails on a conflict with the pod or with the stream's
/// ConfigMaps `others`. Returns the record of what was added, the additions and a note for
/// each pod setting kept.
fn put_in(
    object: &mut Node,
    workload: &Workload,
    requested: Option<&str>,
    patterns: Vec<Pattern>,
    request: &Request,
    engine: &Engine,
    others: &ConfigMapNames,
) -> Result<(Record, Additions, Vec<String>)> {
    let pod = target::pod_spec(object, workload.kind).ok_or_else(|| target::no_pod(workload))?;
    let app_index = target::app_container(pod, requested, &[], workload)?;
    let app_name = target::container_names(pod, "containers")
        .get(app_index)
        .cloned()
        .unwrap_or_default();
    let additions = inject::compute(
        object,
        workload,
        app_index,
        &patterns,
        request.version,
        engine,
    )?;
    conflicts::check(object, workload, app_index, &additions, others)?;
    let (added, notes) = pod_edit::apply(object, workload, app_index, &additions)?;
    let record = Record {
        container: app_name,
        kube_version: request.version,
        patterns,
        added,
    };
    Ok((record, additions, notes))
}

/// Fails when the edited workload (with its new ConfigMaps) has a validation error the
/// workload did not have before.
fn check_valid(
    before: &Node,
    after: &Node,
    config_maps: &[Node],
    version: KubeVersion,
) -> Result<()> {
    let options = validate::Options {
        kube_version: version,
        ..validate::Options::default()
    };
    let errors = |objects: &[&Node]| -> Vec<validate::Finding> {
        let mut text = String::new();
        for object in objects {
            text.push_str("---\n");
            text.push_str(&crate::yaml::to_text(object));
        }
        validate::validate_stream(&text, "<added>", &options)
            .findings
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .collect()
    };
    let old = errors(&[before]);
    let mut objects = vec![after];
    objects.extend(config_maps);
    let new: Vec<String> = errors(&objects)
        .into_iter()
        .filter(|f| {
            !old.iter()
                .any(|o| o.rule == f.rule && o.path == f.path && o.message == f.message)
        })
        .map(|f| format!("  {f}"))
        .collect();
    if new.is_empty() {
        Ok(())
    } else {
        Err(Error::RenderedInvalid {
            count: new.len(),
            report: new.join("\n"),
        })
    }
}
