//! The facts files' shape, as serde reads them: what `parse.rs` validates into [`Facts`].

use serde::Deserialize;
use toml::Spanned;

pub(super) type S = Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    #[serde(default)]
    pub service: Vec<RawService>,
    #[serde(default)]
    pub list: Vec<RawList>,
    #[serde(default)]
    pub qa: Vec<RawQa>,
    #[serde(default)]
    pub family: Vec<RawFamily>,
    #[serde(default)]
    pub series: Vec<RawSeries>,
    #[serde(default)]
    pub instance_question: Vec<RawInstanceQuestion>,
    #[serde(default)]
    pub replaced: Vec<RawReplaced>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawService {
    pub id: S,
    pub name: S,
    pub formerly: Option<S>,
    pub part_of: Option<S>,
    pub note: Option<S>,
    pub status: Option<S>,
    pub source: Option<S>,
    pub url: Option<S>,
    pub notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    #[serde(rename = "ref")]
    pub service: S,
    pub cue: Option<S>,
    pub scenario: Option<S>,
    pub answer: Option<S>,
    pub detail: Option<S>,
    pub note: Option<S>,
    pub correction: Option<S>,
    pub history: Option<S>,
    pub source: Option<S>,
    pub url: Option<S>,
    pub notes: Option<S>,
}

/// The one card of a service that takes no new customers or is gone: what replaced it, when.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReplaced {
    pub service: S,
    pub front: S,
    pub back: S,
    pub note: Option<S>,
    pub source: Option<S>,
    pub url: Option<S>,
    pub notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawList {
    pub subject: S,
    pub relation: S,
    pub question: Option<S>,
    pub overview: Option<S>,
    #[serde(default)]
    pub open: bool,
    pub note: Option<S>,
    pub source: Option<S>,
    pub url: Option<S>,
    pub notes: Option<S>,
    pub items: Spanned<Vec<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQa {
    pub subject: Option<S>,
    pub id: S,
    pub kind: Option<S>,
    #[serde(default)]
    pub refs: Vec<S>,
    pub front: S,
    pub back: S,
    #[serde(default)]
    pub reverse: bool,
    pub note: Option<S>,
    pub correction: Option<S>,
    pub history: Option<S>,
    pub source: Option<S>,
    pub url: Option<S>,
    pub notes: Option<S>,
    pub deck: Option<S>,
    #[serde(default)]
    pub tags: Vec<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWorkload {
    pub id: S,
    pub text: S,
    pub note: Option<S>,
    pub correction: Option<S>,
    pub source: Option<S>,
    pub url: Option<S>,
    pub notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawType {
    pub code: S,
    pub status: Option<S>,
    pub note: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFamily {
    pub id: S,
    pub name: S,
    #[serde(default)]
    pub types: Vec<RawType>,
    #[serde(default)]
    pub workloads: Vec<RawWorkload>,
    pub source: Option<S>,
    pub url: Option<S>,
    pub notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSeries {
    pub letter: S,
    pub family: S,
    #[serde(rename = "trait")]
    pub trait_: S,
    pub current: S,
    pub note: Option<S>,
    pub source: Option<S>,
    pub url: Option<S>,
    pub notes: Option<S>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawInstanceQuestion {
    pub id: S,
    pub family: Option<S>,
    pub front: S,
    pub back: S,
    pub note: Option<S>,
    pub correction: Option<S>,
    pub source: Option<S>,
    pub url: Option<S>,
    pub notes: Option<S>,
}
