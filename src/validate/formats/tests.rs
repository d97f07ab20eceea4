//! Each format fed the same two files, read back as its consumers read it.

use super::*;
use crate::validate::Skipped;

fn finding(severity: Severity, rule: &str, file: &str, line: usize) -> Finding {
    Finding {
        severity,
        rule: rule.to_string(),
        file: file.to_string(),
        line,
        object: "Deployment/web".to_string(),
        path: "spec.template.spec.containers[0]".to_string(),
        message: "a \"quoted\" <message>, 100% sure\nsecond line".to_string(),
    }
}

/// Two files: one with an error, a warning and a skipped document, one clean.
fn run(format: ReportFormat, quiet: bool) -> String {
    let first = Report {
        findings: vec![
            finding(Severity::Error, "port-conflict", "deploy/a b.yaml", 7),
            finding(Severity::Warning, "probes-missing", "deploy/a b.yaml", 9),
        ],
        documents: 3,
        skipped: vec![Skipped {
            file: "deploy/a b.yaml".to_string(),
            line: 20,
            api_version: "example.com/v1".to_string(),
            object: "Widget/w".to_string(),
        }],
    };
    let second = Report {
        documents: 1,
        ..Report::default()
    };
    let mut out = Vec::new();
    let mut counts = Counts::default();
    let mut writer = new(format, quiet).unwrap();
    writer.begin(&mut out).unwrap();
    for (file, mut report) in [("deploy/a b.yaml", first), ("deploy/c.yaml", second)] {
        counts.files += 1;
        counts.add(&report);
        if quiet {
            report.findings.retain(|f| f.severity == Severity::Error);
        }
        writer.part(&mut out, &report).unwrap();
        writer.file_done(&mut out, file).unwrap();
    }
    writer.end(&mut out, &counts).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn summary_counts_documents_files_and_findings() {
    let counts = Counts {
        files: 2,
        documents: 4,
        errors: 1,
        warnings: 1,
        skipped: 1,
    };
    assert_eq!(
        counts.summary(),
        "Summary: 4 documents in 2 files - errors: 1, warnings: 1, skipped: 1"
    );
}

#[test]
fn text_is_one_line_a_finding() {
    let text = run(ReportFormat::Text, false);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("deploy/a b.yaml:7: error[port-conflict] Deployment/web: "));
    assert!(
        text.contains("deploy/a b.yaml:20: skipped Widget/w"),
        "{text}"
    );
    let quiet = run(ReportFormat::Text, true);
    assert!(
        !quiet.contains("probes-missing") && !quiet.contains("skipped"),
        "{quiet}"
    );
}

#[test]
fn json_is_one_document_with_findings_skipped_and_counts() {
    let value: serde_json::Value = serde_json::from_str(&run(ReportFormat::Json, false)).unwrap();
    assert_eq!(value["findings"].as_array().unwrap().len(), 2);
    assert_eq!(value["findings"][0]["rule"], "port-conflict");
    assert_eq!(value["findings"][0]["line"], 7);
    assert_eq!(value["skipped"][0]["object"], "Widget/w");
    assert_eq!(value["counts"]["files"], 2);
    assert_eq!(value["counts"]["documents"], 4);
    assert_eq!(value["counts"]["warnings"], 1);
    let empty = Report::default();
    let mut out = Vec::new();
    let mut writer = new(ReportFormat::Json, false).unwrap();
    writer.begin(&mut out).unwrap();
    writer.part(&mut out, &empty).unwrap();
    writer.end(&mut out, &Counts::default()).unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(value["findings"], serde_json::json!([]));
    assert_eq!(value["skipped"], serde_json::json!([]));
}

#[test]
fn sarif_has_the_catalog_and_one_result_a_finding() {
    let value: serde_json::Value = serde_json::from_str(&run(ReportFormat::Sarif, false)).unwrap();
    assert_eq!(value["version"], "2.1.0");
    let run = &value["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), crate::validate::rules::ALL.len());
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let first = &results[0];
    assert_eq!(first["ruleId"], "port-conflict");
    assert_eq!(first["level"], "error");
    let index = first["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "port-conflict");
    let location = &first["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "deploy/a%20b.yaml");
    assert_eq!(location["region"]["startLine"], 7);
    assert_eq!(results[1]["level"], "warning");
}

#[test]
fn junit_totals_match_its_test_cases() {
    let xml = run(ReportFormat::Junit, false);
    let document = roxmltree::Document::parse(&xml).unwrap();
    let suite = document
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // Two findings, one skipped document, one passing case for the clean file.
    assert_eq!(cases.len(), 4);
    assert_eq!(suite.attribute("tests"), Some("4"));
    assert_eq!(suite.attribute("failures"), Some("1"));
    assert_eq!(suite.attribute("skipped"), Some("1"));
    let failure = cases[0]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("type"), Some("port-conflict"));
    assert!(failure
        .attribute("message")
        .unwrap()
        .contains("\"quoted\" <message>"));
    assert_eq!(cases[3].attribute("classname"), Some("deploy/c.yaml"));
}

#[test]
fn github_annotations_name_file_and_line() {
    let text = run(ReportFormat::Github, false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with(
            "::error file=deploy/a b.yaml,line=7,title=podsmith port-conflict::Deployment/web: "
        ),
        "{text}"
    );
    assert!(lines[0].ends_with("100%25 sure%0Asecond line"), "{text}");
    assert!(
        lines[1].starts_with("::warning file=deploy/a b.yaml,line=9,"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("::notice file=deploy/a b.yaml,line=20,"),
        "{text}"
    );
}
