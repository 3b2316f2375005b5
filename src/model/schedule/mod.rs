//! Scheduling: the vocabulary both schedulers share (a card's state, the settings, grades and
//! buttons, a button's preview, the study day), and the scheduler in use, SM-2 (the default,
//! `sm2`) or FSRS (`fsrs`), answering a card and previewing its buttons; `replay` recomputes a
//! card from its answers. Both keep SM-2's session rule: an answer below 4 brings the card
//! back the same day, and those same-day repeats change nothing but the repeat flag.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use self::fsrs::{DEFAULT_WEIGHTS, FsrsConfig, Optimised};
use super::anki::button;

pub mod fsrs;
pub mod preview;
pub mod replay;
pub mod sm2;

/// Answers below this are shown again the same day (SM-2 step 7).
pub const PASS_FOR_TODAY: u8 = 4;

/// A card's scheduling state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardState {
    /// n: successful reviews in a row.
    pub repetitions: u32,
    /// EF, kept as the f64 the formula gives (never rounded).
    pub ease: f64,
    /// I, in days.
    pub interval: u32,
    /// The study day the card is next due (meaningless while `is_new`).
    pub due: NaiveDate,
    /// Answers below 3.
    pub lapses: u32,
    /// Never answered.
    pub is_new: bool,
    /// The study day of the last first-review-of-the-day.
    pub last_review: Option<NaiveDate>,
    /// Answered below 4 today: comes back today until answered 4 or 5.
    pub repeat_pending: bool,
    /// FSRS's memory state while FSRS schedules the card (0 otherwise): stability in days,
    /// difficulty 1-10.
    pub stability: f64,
    pub difficulty: f64,
}

impl CardState {
    /// A card nobody has studied yet.
    pub fn new_card() -> Self {
        CardState {
            repetitions: 0,
            ease: sm2::START_EASE,
            interval: 0,
            due: NaiveDate::MIN,
            lapses: 0,
            is_new: true,
            last_review: None,
            repeat_pending: false,
            stability: 0.0,
            difficulty: 0.0,
        }
    }

    /// Whether an answer on `today` is a same-day repeat rather than a first review of the day.
    pub fn is_repeat_on(&self, today: NaiveDate) -> bool {
        self.last_review.is_some_and(|last| today <= last)
    }
}

/// How answers are given: four buttons, or SM-2's six grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grading {
    #[default]
    FourButtons,
    SixGrades,
}

/// The four answer buttons and the SM-2 quality each stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Button {
    Again,
    Hard,
    Good,
    Easy,
}

impl Button {
    pub const ALL: [Button; 4] = [Button::Again, Button::Hard, Button::Good, Button::Easy];

    pub fn quality(self) -> u8 {
        match self {
            Button::Again => 1,
            Button::Hard => 3,
            Button::Good => 4,
            Button::Easy => 5,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Button::Again => "Again",
            Button::Hard => "Hard",
            Button::Good => "Good",
            Button::Easy => "Easy",
        }
    }

    /// `again`, `hard`, `good`, `easy` (any case).
    pub fn parse(s: &str) -> Option<Button> {
        Button::ALL
            .into_iter()
            .find(|b| b.label().eq_ignore_ascii_case(s.trim()))
    }
}

impl Grading {
    /// The quality a digit key or typed number stands for: 1-4 are the buttons, 0-5 the
    /// six grades.
    pub fn quality_of_digit(self, digit: u8) -> Option<u8> {
        match self {
            Grading::FourButtons => (1..=4)
                .contains(&digit)
                .then(|| Button::ALL[usize::from(digit) - 1].quality()),
            Grading::SixGrades => (digit <= 5).then_some(digit),
        }
    }

    /// The label of the answer button of `quality`: Again/Hard/Good/Easy, or the six grades'
    /// names (Blackout, Wrong, Almost, Hard, Good, Perfect).
    pub fn button_label(self, quality: u8) -> &'static str {
        match self {
            Grading::FourButtons => Button::ALL
                .into_iter()
                .find(|b| b.quality() == quality)
                .map_or("?", Button::label),
            Grading::SixGrades => match quality {
                0 => "Blackout",
                1 => "Wrong",
                2 => "Almost",
                3 => "Hard",
                4 => "Good",
                _ => "Perfect",
            },
        }
    }

    /// What an answer of `quality` is called in a card's history: its button (any grade below
    /// 3 is Again), or the grade itself in six-grade mode.
    pub fn grade_name(self, quality: u8) -> String {
        match self {
            Grading::FourButtons => match quality {
                0..=2 => Button::Again,
                3 => Button::Hard,
                4 => Button::Good,
                _ => Button::Easy,
            }
            .label()
            .to_string(),
            Grading::SixGrades => quality.to_string(),
        }
    }

    /// The qualities the user can give, in button order.
    pub fn qualities(self) -> Vec<u8> {
        match self {
            Grading::FourButtons => Button::ALL.iter().map(|b| b.quality()).collect(),
            Grading::SixGrades => (0..=5).collect(),
        }
    }
}

/// Which algorithm schedules the cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    #[default]
    Sm2,
    Fsrs,
}

/// Scheduler settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Spread intervals above 2 days by a small deterministic amount (both schedulers).
    pub fuzz: bool,
    pub grading: Grading,
    /// Hour of the local day at which "today" begins.
    pub rollover_hour: u32,
    pub algorithm: Algorithm,
    /// FSRS: the probability of recall at which a card comes due.
    pub desired_retention: f64,
    /// FSRS: the longest interval, in days.
    pub max_interval: u32,
    /// FSRS: parameters fitted to the learner's log; None uses FSRS-6's defaults.
    pub fsrs_parameters: Option<Optimised>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            fuzz: true,
            grading: Grading::FourButtons,
            rollover_hour: 4,
            algorithm: Algorithm::Sm2,
            desired_retention: 0.9,
            max_interval: 36_500,
            fsrs_parameters: None,
        }
    }
}

impl Config {
    /// Whether `other` schedules differently (and every card's state must be replayed).
    pub fn schedules_differently(&self, other: &Config) -> bool {
        self.algorithm != other.algorithm
            || (self.algorithm == Algorithm::Fsrs
                && (self.desired_retention != other.desired_retention
                    || self.max_interval != other.max_interval
                    || self.fsrs_parameters != other.fsrs_parameters))
    }

    /// FSRS's part of the settings.
    pub fn fsrs(&self) -> FsrsConfig {
        FsrsConfig {
            desired_retention: self.desired_retention,
            max_interval: self.max_interval,
            weights: self.fsrs_parameters.map_or(DEFAULT_WEIGHTS, |p| p.weights),
        }
    }

    /// The forgetting curve's decay of the FSRS parameters in use (what `prop:r` and Card info
    /// compute retrievability with).
    pub fn fsrs_decay(&self) -> f64 {
        f64::from(self.fsrs().weights[20])
    }
}

/// A quality outside 0..=5.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadQuality(pub u8);

impl std::fmt::Display for BadQuality {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "quality {} is out of range: use 0 to 5", self.0)
    }
}

impl std::error::Error for BadQuality {}

/// What one answer would do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preview {
    pub quality: u8,
    /// The interval the card gets (for a same-day repeat, the one it keeps).
    pub interval: u32,
    /// The card comes back in today's session first (SM-2 step 7: below 4).
    pub again_today: bool,
    /// SM-2's ease after the answer minus before, in hundredths (0 under FSRS).
    pub ease_change: i32,
}

impl Preview {
    /// What the button says: "15d", or "today · 1d" when the card comes back today first.
    pub fn label(&self) -> String {
        if self.again_today {
            format!("today · {}", interval_label(self.interval))
        } else {
            interval_label(self.interval)
        }
    }

    /// What "today" means, for the label's hover text.
    pub fn explained(&self) -> Option<String> {
        self.again_today.then(|| {
            format!(
                "You will see it again in this session; then in {}.",
                days_text(self.interval)
            )
        })
    }

    /// Where another of `all` gives the same interval, what sets this one apart: SM-2's ease
    /// change ("ease +0.10"); none when the ease stays (or under FSRS).
    pub fn ease_note(&self, all: &[Preview]) -> Option<String> {
        let same = all
            .iter()
            .any(|p| p.quality != self.quality && p.interval == self.interval);
        (same && self.ease_change != 0).then(|| {
            let sign = if self.ease_change > 0 { '+' } else { '−' };
            let n = self.ease_change.unsigned_abs();
            format!("ease {sign}{}.{:02}", n / 100, n % 100)
        })
    }
}

/// "1 day", "15 days".
fn days_text(days: u32) -> String {
    if days == 1 {
        "1 day".into()
    } else {
        format!("{days} days")
    }
}

/// The study day of a local wall-clock time: days begin at `rollover_hour` (02:00 on the 6th
/// counts for the 5th with the default 4). Works on wall-clock time, so DST changes do not move
/// the boundary.
pub fn study_day(local: NaiveDateTime, rollover_hour: u32) -> NaiveDate {
    let shifted = local - TimeDelta::hours(i64::from(rollover_hour.min(23)));
    shifted.date()
}

/// "3d", "6d", "1.2mo", "2.1y": a short interval label like Anki's buttons.
pub fn interval_label(days: u32) -> String {
    let d = f64::from(days);
    if days < 30 {
        format!("{days}d")
    } else if days < 365 {
        format!("{:.1}mo", d / 30.0)
    } else {
        format!("{:.1}y", d / 365.0)
    }
}

/// The state after answering `quality` on study day `today`, by the scheduler `config` names.
pub fn answer(
    state: &CardState,
    quality: u8,
    today: NaiveDate,
    config: &Config,
    key: &str,
) -> Result<CardState, BadQuality> {
    match config.algorithm {
        Algorithm::Sm2 => sm2::answer(state, quality, today, config, key),
        Algorithm::Fsrs => fsrs_answer(state, quality, today, config, key),
    }
}

fn fsrs_answer(
    state: &CardState,
    quality: u8,
    today: NaiveDate,
    config: &Config,
    key: &str,
) -> Result<CardState, BadQuality> {
    if let Some(repeat) = sm2::same_day_repeat(state, quality, today)? {
        return Ok(repeat);
    }
    let previous = (!state.is_new && state.stability > 0.0)
        .then_some((state.stability as f32, state.difficulty as f32));
    let elapsed = state.last_review.map_or(0, |last| {
        u32::try_from((today - last).num_days()).unwrap_or(0)
    });
    let step = fsrs::next(previous, elapsed, button(quality) as u32, &config.fsrs())
        .ok_or(BadQuality(quality))?;
    // Fuzz as SM-2's, so that cards learned together do not stay due together.
    let interval = sm2::fuzz_answer(step.interval, state, quality, config, key)
        .min(config.max_interval.max(1));
    let mut next = sm2::reviewed(state, quality, today, interval);
    next.stability = f64::from(step.stability);
    next.difficulty = f64::from(step.difficulty);
    Ok(next)
}

/// What each grade of the grading mode would do now.
pub fn preview(state: &CardState, today: NaiveDate, config: &Config, key: &str) -> Vec<Preview> {
    config
        .grading
        .qualities()
        .into_iter()
        .filter_map(|quality| {
            answer(state, quality, today, config, key)
                .ok()
                .map(|s| Preview {
                    quality,
                    interval: s.interval,
                    again_today: s.repeat_pending,
                    ease_change: match config.algorithm {
                        Algorithm::Sm2 => ((s.ease - state.ease) * 100.0).round() as i32,
                        Algorithm::Fsrs => 0,
                    },
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sm2::fuzz_range;
    use super::*;

    #[test]
    fn fsrs_intervals_are_fuzzed_like_sm2s_when_fuzz_is_on() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        let later = day + chrono::Days::new(20);
        let exact = Config {
            algorithm: Algorithm::Fsrs,
            fuzz: false,
            ..Config::default()
        };
        let fuzzy = Config {
            fuzz: true,
            ..exact
        };
        let mut moved = 0;
        for i in 0..50 {
            let key = format!("card-{i}");
            let first = answer(&CardState::new_card(), 5, day, &exact, &key)
                .unwrap_or_else(|e| panic!("{e}"));
            let plain = answer(&first, 4, later, &exact, &key).unwrap_or_else(|e| panic!("{e}"));
            let fuzzed = answer(&first, 4, later, &fuzzy, &key).unwrap_or_else(|e| panic!("{e}"));
            assert!(plain.interval > 2);
            assert!(plain.interval.abs_diff(fuzzed.interval) <= fuzz_range(plain.interval));
            assert_eq!(plain.stability, fuzzed.stability);
            moved += usize::from(plain.interval != fuzzed.interval);
            // Deterministic: the same card and answer give the same interval.
            let again = answer(&first, 4, later, &fuzzy, &key).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(again, fuzzed);
        }
        assert!(moved > 10, "fuzz moved only {moved} of 50 intervals");
    }

    #[test]
    fn buttons_parse_and_map() {
        assert_eq!(Button::parse(" GOOD "), Some(Button::Good));
        assert_eq!(Button::parse("meh"), None);
        let q: Vec<u8> = Button::ALL.iter().map(|b| b.quality()).collect();
        assert_eq!(q, [1, 3, 4, 5]);
        assert_eq!(Grading::SixGrades.qualities(), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn labels() {
        assert_eq!(interval_label(1), "1d");
        assert_eq!(interval_label(45), "1.5mo");
        assert_eq!(interval_label(730), "2.0y");
    }
}
