//! The small part of the AWS shared config/credentials file format we read.
//!
//! Format, as the AWS CLI and SDKs read it
//! (<https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html>):
//! `[section]` headers; `name = value` properties (names are case-insensitive, stored
//! lowercase); whole-line comments starting with `#` or `;`; and sub-sections: a property
//! with an empty value followed by indented `name = value` lines, as in
//!
//! ```text
//! [profile dev]
//! region = eu-west-1
//! s3 =
//!     addressing_style = path
//!     endpoint_url = http://127.0.0.1:9000
//! ```
//!
//! Indented lines after a property with a value continue that value. A property repeated in
//! a section keeps its last value. Lines that fit none of these are ignored, as the SDKs do.

use std::collections::BTreeMap;

/// One `[section]` of a file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// Plain `name = value` properties.
    pub(crate) properties: BTreeMap<String, String>,
    /// Sub-sections such as `s3 =` with their indented properties.
    pub(crate) subsections: BTreeMap<String, BTreeMap<String, String>>,
}

impl Section {
    /// Returns a property's value, if set and not empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.properties
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }

    /// Returns a sub-section property's value, if set and not empty.
    pub(crate) fn sub_get(&self, subsection: &str, name: &str) -> Option<&str> {
        self.subsections
            .get(subsection)?
            .get(name)
            .map(String::as_str)
            .filter(|value| !value.is_empty())
    }
}

/// A parsed file: sections by their name as written between the brackets (trimmed, inner
/// runs of blanks collapsed to one space, so `[profile  dev]` is `profile dev`).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct IniFile {
    pub(crate) sections: BTreeMap<String, Section>,
}

/// Where an indented line goes.
enum Open {
    None,
    Property(String),
    Subsection(String),
}

impl IniFile {
    /// Parses `text`. Never fails: malformed lines are skipped.
    pub(crate) fn parse(text: &str) -> IniFile {
        let mut file = IniFile::default();
        let mut current: Option<String> = None;
        let mut open = Open::None;
        for raw_line in text.lines() {
            let indented = raw_line.starts_with([' ', '\t']);
            let line = raw_line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if !indented && line.starts_with('[') {
                let name = line.trim_start_matches('[');
                let name = name.split(']').next().unwrap_or_default();
                let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
                file.sections.entry(name.clone()).or_default();
                current = Some(name);
                open = Open::None;
                continue;
            }
            let Some(section_name) = &current else {
                continue;
            };
            let section = file.sections.entry(section_name.clone()).or_default();
            if indented {
                match &open {
                    Open::Subsection(sub) => {
                        if let Some((name, value)) = split_property(line) {
                            section
                                .subsections
                                .entry(sub.clone())
                                .or_default()
                                .insert(name, value);
                        }
                    }
                    Open::Property(name) => {
                        if let Some(value) = section.properties.get_mut(name) {
                            value.push('\n');
                            value.push_str(line);
                        }
                    }
                    Open::None => {}
                }
                continue;
            }
            let Some((name, value)) = split_property(line) else {
                open = Open::None;
                continue;
            };
            if value.is_empty() {
                section.subsections.entry(name.clone()).or_default();
                open = Open::Subsection(name.clone());
            } else {
                open = Open::Property(name.clone());
            }
            section.properties.insert(name, value);
        }
        file
    }

    /// Returns the section called `name`, if any.
    pub(crate) fn section(&self, name: &str) -> Option<&Section> {
        self.sections.get(name)
    }
}

/// Splits a `name = value` line, lowercasing the name.
fn split_property(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once('=')?;
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    Some((name.to_ascii_lowercase(), value.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_properties_and_subsections() {
        let text = "\
# leading comment
[default]
region = us-west-2
AWS_Access_Key_ID=AKIA
; another comment
s3 =
    addressing_style = path
\tendpoint_url = http://127.0.0.1:9000
output = json

[profile   dev]
region=eu-west-1
s3 =
  endpoint_url = http://minio:9000
[broken
key = value
not a property
";
        let file = IniFile::parse(text);
        let default = file.section("default").unwrap();
        assert_eq!(default.get("region"), Some("us-west-2"));
        assert_eq!(default.get("aws_access_key_id"), Some("AKIA"));
        assert_eq!(default.get("output"), Some("json"));
        assert_eq!(default.sub_get("s3", "addressing_style"), Some("path"));
        assert_eq!(
            default.sub_get("s3", "endpoint_url"),
            Some("http://127.0.0.1:9000")
        );
        assert_eq!(default.get("s3"), None);
        let dev = file.section("profile dev").unwrap();
        assert_eq!(dev.get("region"), Some("eu-west-1"));
        assert_eq!(dev.sub_get("s3", "endpoint_url"), Some("http://minio:9000"));
        assert_eq!(file.section("broken").unwrap().get("key"), Some("value"));
    }

    #[test]
    fn later_values_win_and_continuations_append() {
        let file = IniFile::parse("[a]\nx = 1\nx = 2\ny = first\n  second\n");
        let section = file.section("a").unwrap();
        assert_eq!(section.get("x"), Some("2"));
        assert_eq!(section.get("y"), Some("first\nsecond"));
    }

    #[test]
    fn properties_before_any_section_are_ignored() {
        let file = IniFile::parse("x = 1\n[a]\n");
        assert!(file.section("a").unwrap().properties.is_empty());
        assert_eq!(file.sections.len(), 1);
    }
}
