//! `--clean`: drops what the API server fills in, so `kubectl get -o yaml` output can be
//! applied again as if it were a file someone wrote.

use crate::add::tree;
use crate::yaml::{Node, Value};

/// Fields of `metadata` that the API server sets.
const SERVER_METADATA: [&str; 6] = [
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
];

/// Cleans every object in `value` (an object, its pod template and claim templates, the items
/// of a `List`); returns whether anything was dropped.
pub(super) fn clean(node: &mut Node) -> bool {
    let mut changed = false;
    if tree::get_mut(node, "metadata").is_some_and(|m| m.as_mapping().is_some()) {
        if let Some(metadata) = tree::get_mut(node, "metadata") {
            for field in SERVER_METADATA {
                changed |= tree::remove(metadata, field).is_some();
            }
        }
        changed |= tree::remove(node, "status").is_some();
    }
    match &mut node.value {
        Value::Mapping(entries) => {
            for entry in entries {
                changed |= clean(&mut entry.value);
            }
        }
        Value::Sequence(items) => {
            for item in items {
                changed |= clean(item);
            }
        }
        _ => {}
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_fields_go_and_the_rest_stays() {
        let mut value = tree::parse(
            "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n\
             - kind: StatefulSet\n  metadata:\n    name: db\n    uid: x\n    generation: 2\n\
             \x20   managedFields: []\n  spec:\n    template:\n      metadata:\n\
             \x20       creationTimestamp: null\n        labels: {a: b}\n\
             \x20   volumeClaimTemplates:\n    - metadata: {name: data}\n      status: {phase: Pending}\n\
             \x20 status: {replicas: 1}\n",
        )
        .unwrap();
        assert!(clean(&mut value));
        let expected = tree::parse(
            "apiVersion: v1\nkind: List\nmetadata: {}\nitems:\n\
             - kind: StatefulSet\n  metadata: {name: db}\n  spec:\n    template:\n\
             \x20     metadata: {labels: {a: b}}\n    volumeClaimTemplates:\n    - metadata: {name: data}\n",
        )
        .unwrap();
        assert!(value.same_values(&expected), "{value:?}");
        assert!(!clean(&mut value));
    }
}
