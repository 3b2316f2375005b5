//! SM-2 as published (pure): no I/O, no clock. "Today" is passed in as a study day.
//!
//! The first review of a day follows SM-2 exactly as the `supermemo2` Python package (3.0.1)
//! computes it; with fuzz off the results are bit-for-bit the same. Same-day repeats (SM-2 step 7)
//! are logged by the caller but change neither EF, interval nor repetitions.

use super::fsrs_schedule::{DEFAULT_WEIGHTS, FsrsConfig, Optimised};
use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

pub const START_EASE: f64 = 2.5;
pub const MIN_EASE: f64 = 1.3;
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
            ease: START_EASE,
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

/// EF' = EF + (0.1 − (5−q)·(0.08 + (5−q)·0.02)), floored at 1.3, in exactly that order.
pub fn next_ease(ease: f64, quality: u8) -> f64 {
    let d = f64::from(5 - quality.min(5));
    let next = ease + (0.1 - d * (0.08 + d * 0.02));
    if next < MIN_EASE { MIN_EASE } else { next }
}

/// The SM-2 interval after a first review of the day, before fuzz.
pub fn next_interval(state: &CardState, quality: u8) -> u32 {
    if quality < 3 {
        return 1;
    }
    match state.repetitions {
        0 => 1,
        1 => 6,
        _ => {
            let raw = (f64::from(state.interval) * state.ease).ceil();
            // Intervals beyond u32 days are not meaningful; saturate instead of wrapping.
            if raw >= f64::from(u32::MAX) {
                u32::MAX
            } else {
                raw as u32
            }
        }
    }
}

/// The most days fuzz may move an interval: ±5% of it, at least ±1 day; 0 for 2 days or less.
pub fn fuzz_range(interval: u32) -> u32 {
    if interval <= 2 {
        0
    } else {
        (interval / 20).max(1)
    }
}

/// `interval` moved by a deterministic amount within [`fuzz_range`], seeded by the card's key
/// and its repetition count.
pub fn fuzzed(interval: u32, key: &str, repetitions: u32) -> u32 {
    let range = fuzz_range(interval);
    if range == 0 {
        return interval;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(fuzz_seed(key, repetitions));
    let delta = rng.random_range(-i64::from(range)..=i64::from(range));
    let moved = i64::from(interval) + delta;
    u32::try_from(moved.max(1)).unwrap_or(interval)
}

/// FNV-1a over the key and the repetition count: stable across builds and platforms.
fn fuzz_seed(key: &str, repetitions: u32) -> u64 {
    super::fnv1a(key.bytes().chain(repetitions.to_le_bytes()))
}

/// The state after answering `quality` on study day `today`.
///
/// The first answer of a day is an SM-2 review. Later answers the same day are repeats: they only
/// clear `repeat_pending` once the answer is 4 or more. A clock set back behind the last review
/// counts as the day of the last review, so intervals never go negative or zero.
pub fn answer(
    state: &CardState,
    quality: u8,
    today: NaiveDate,
    config: &Config,
    key: &str,
) -> Result<CardState, BadQuality> {
    if let Some(repeat) = same_day_repeat(state, quality, today)? {
        return Ok(repeat);
    }
    let interval = fuzz_answer(next_interval(state, quality), state, quality, config, key);
    let mut next = reviewed(state, quality, today, interval);
    next.ease = next_ease(state.ease, quality);
    Ok(next)
}

/// `interval`, given by answering `quality` on a card in `state`, with the fuzz the settings
/// ask for (none when off): seeded by the card's key and the repetitions the answer leaves,
/// whichever scheduler computed the interval.
pub fn fuzz_answer(
    interval: u32,
    state: &CardState,
    quality: u8,
    config: &Config,
    key: &str,
) -> u32 {
    if !config.fuzz {
        return interval;
    }
    let repetitions = if quality < 3 {
        0
    } else {
        state.repetitions + 1
    };
    fuzzed(interval, key, repetitions)
}

/// The session rule every scheduler keeps: a quality outside 0-5 is an error, and a later
/// answer on the day of the last review is a same-day repeat, which only clears
/// `repeat_pending` once the answer is 4 or more. None for a first review of the day.
pub fn same_day_repeat(
    state: &CardState,
    quality: u8,
    today: NaiveDate,
) -> Result<Option<CardState>, BadQuality> {
    if quality > 5 {
        return Err(BadQuality(quality));
    }
    if !state.is_repeat_on(today) {
        return Ok(None);
    }
    let mut next = *state;
    if quality >= PASS_FOR_TODAY {
        next.repeat_pending = false;
    }
    Ok(Some(next))
}

/// The bookkeeping of a first review of the day that gives `interval` days, whatever the
/// scheduler: repetitions (reset by a lapse), lapses, due day, last review, repeat flag.
pub fn reviewed(state: &CardState, quality: u8, today: NaiveDate, interval: u32) -> CardState {
    let mut next = *state;
    if quality < 3 {
        next.repetitions = 0;
        next.lapses += 1;
    } else {
        next.repetitions += 1;
    }
    next.interval = interval;
    next.due = today
        .checked_add_days(Days::new(u64::from(interval)))
        .unwrap_or(NaiveDate::MAX);
    next.is_new = false;
    next.last_review = Some(today);
    next.repeat_pending = quality < PASS_FOR_TODAY;
    next
}

/// What one answer would do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preview {
    pub quality: u8,
    /// The interval the card gets (for a same-day repeat, the one it keeps).
    pub interval: u32,
    /// The card comes back in today's session first (SM-2 step 7: below 4).
    pub again_today: bool,
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn fuzz_seed_is_stable() {
        // FNV-1a of four zero bytes, computed independently. Pinned so a change of hashing (which would reshuffle every user's schedule) is noticed.
        assert_eq!(fuzz_seed("", 0), 0x4d25_767f_9dce_13f5);
    }
}
