//! The search language: parsing, errors, robustness, and the SQL the store runs checked against
//! the reference evaluator over the same cards.

use std::collections::BTreeSet;
use std::time::Duration;

use awscards::app::clock::Clock;
use awscards::app::collection::Collection;
use awscards::app::session::Session;
use awscards::model::bundled_files;
use awscards::model::cardgen::generate;
use awscards::model::facts::parse as parse_facts;
use awscards::model::search::{self, CardFacts, CardIs, Cmp, ParseError, Query, matches, parse};
use awscards::store::{StoredCard, day_number};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};
use proptest::prelude::*;

fn t(s: &str) -> Query {
    Query::Text(s.into())
}

#[test]
fn queries_parse_to_the_expected_tree() {
    use Query::*;
    let table: Vec<(&str, Query)> = vec![
        ("", All),
        ("   ", All),
        ("kinesis", t("kinesis")),
        ("\"data streams\"", t("data streams")),
        ("\"deck:not a field\"", t("deck:not a field")),
        ("a b", And(vec![t("a"), t("b")])),
        ("a and b", And(vec![t("a"), t("b")])),
        ("a or b", Or(vec![t("a"), t("b")])),
        ("a OR b c", Or(vec![t("a"), And(vec![t("b"), t("c")])])),
        ("-a", Not(Box::new(t("a")))),
        ("--a", Not(Box::new(Not(Box::new(t("a")))))),
        (
            "(a or b) -c",
            And(vec![Or(vec![t("a"), t("b")]), Not(Box::new(t("c")))]),
        ),
        ("((a))", t("a")),
        ("-(a b)", Not(Box::new(And(vec![t("a"), t("b")])))),
        ("deck:Foo", Deck("Foo".into())),
        (
            "deck:\"AWS Big Data::Instance families\"",
            Deck("AWS Big Data::Instance families".into()),
        ),
        ("DECK:a*", Deck("a*".into())),
        ("tag:instance-family", Tag("instance-family".into())),
        ("tag:s3*", Tag("s3*".into())),
        ("is:new", Is(CardIs::New)),
        ("is:DUE", Is(CardIs::Due)),
        ("is:review", Is(CardIs::Review)),
        ("is:repeat", Is(CardIs::Repeat)),
        ("is:suspended", Is(CardIs::Suspended)),
        ("is:retired", Is(CardIs::Retired)),
        ("is:user", Is(CardIs::User)),
        ("is:leech", Is(CardIs::Leech)),
        ("is:buried", Is(CardIs::Buried)),
        ("prop:ivl>=10", Prop(search::Prop::Ivl, Cmp::Ge, 10.0)),
        ("prop:ease<2.5", Prop(search::Prop::Ease, Cmp::Lt, 2.5)),
        ("prop:lapses>0", Prop(search::Prop::Lapses, Cmp::Gt, 0.0)),
        ("prop:reps=3", Prop(search::Prop::Reps, Cmp::Eq, 3.0)),
        ("prop:reps!=3", Prop(search::Prop::Reps, Cmp::Ne, 3.0)),
        ("prop:due<=-2", Prop(search::Prop::Due, Cmp::Le, -2.0)),
        ("prop:ivl<1", Prop(search::Prop::Ivl, Cmp::Lt, 1.0)),
        (
            "rated:7",
            Rated {
                days: 7,
                quality: None,
            },
        ),
        (
            "rated:7:1",
            Rated {
                days: 7,
                quality: Some(1),
            },
        ),
        ("added:3", Added { days: 3 }),
        ("\"say \\\"hi\\\"\"", t("say \"hi\"")),
    ];
    for (input, expected) in table {
        assert_eq!(parse(input), Ok(expected), "{input:?}");
    }
}

#[test]
fn bad_queries_name_the_position_and_what_was_expected() {
    let table: &[(&str, usize, &str)] = &[
        ("(a", 2, "expected ')'"),
        ("a)", 1, "unexpected ')'"),
        ("()", 1, "expected a search term inside"),
        ("-", 1, "after '-'"),
        ("a -", 3, "after '-'"),
        ("or a", 0, "before 'or'"),
        ("a or", 4, "expected a search term"),
        ("a or or b", 5, "before 'or'"),
        ("\"abc", 0, "unclosed quote"),
        ("deck:\"abc", 5, "unclosed quote"),
        ("deck:", 5, "expected a deck name"),
        ("tag:", 4, "expected a tag"),
        ("is:old", 3, "unknown 'is:old'"),
        ("prop:size>3", 5, "expected ivl, ease"),
        ("prop:ivl", 8, "expected = != < <= > or >="),
        ("prop:ivl>x", 9, "expected a whole number"),
        ("prop:ease>", 10, "expected a number"),
        ("prop:due<=-x", 10, "negative"),
        ("rated:0", 6, "number of days"),
        ("rated:x", 6, "number of days"),
        ("rated:3:9", 8, "quality from 0 to 5"),
        ("added:", 6, "number of days"),
        ("s3:getobject", 0, "unknown field 's3:'"),
        ("kinesis (a or (b c)", 19, "to close the '(' at character 9"),
    ];
    for (input, position, message) in table {
        match parse(input) {
            Err(ParseError {
                position: p,
                message: m,
            }) => {
                assert_eq!(p, *position, "{input:?}: {m}");
                assert!(m.contains(message), "{input:?}: {m}");
            }
            Ok(q) => panic!("{input:?} parsed as {q:?}"),
        }
    }
    let e = parse("(a").unwrap_err();
    assert_eq!(
        e.to_string(),
        "at character 3: expected ')' to close the '(' at character 1"
    );
}

#[test]
fn deep_or_long_queries_are_errors_not_crashes() {
    assert!(parse(&"(".repeat(10_000)).is_err());
    assert!(parse(&"-".repeat(10_000)).is_err());
    assert!(parse(&"a ".repeat(10_000)).is_err());
    assert!(parse(&format!("{}a{}", "(".repeat(50), ")".repeat(50))).is_ok());
}

#[test]
fn huge_terms_and_queries_are_refused_before_any_card_is_read() {
    // A deck name of 100 000 characters once took minutes over 50 000 cards.
    let e = parse(&format!("is:new deck:{}", "a".repeat(100_000))).unwrap_err();
    assert_eq!(e.position, 7);
    assert!(e.message.contains("at most 200 characters"), "{e}");
    let e = parse(&format!("\"{}\"", "*a".repeat(150))).unwrap_err();
    assert!(e.message.contains("at most 200 characters"), "{e}");
    let e = parse(&"ab ".repeat(1_000)).unwrap_err();
    assert_eq!(e.position, 2_000);
    assert!(e.message.contains("too long"), "{e}");
    // Every text, deck: and tag: term is matched against every card: at most 16 of them.
    let terms: Vec<String> = (0..17).map(|i| format!("w{i}")).collect();
    let e = parse(&terms.join(" or ")).unwrap_err();
    assert_eq!(e.position, 102);
    assert!(e.message.contains("at most 16"), "{e}");
    // At the limits, a query parses.
    assert!(parse(&format!("deck:{}", "a*".repeat(97))).is_ok());
    assert!(parse(&terms[..16].join(" or ")).is_ok());
    assert!(
        parse(&format!(
            "{} is:new prop:ivl>3 rated:2",
            terms[..16].join(" ")
        ))
        .is_ok()
    );
}

/// Strings made of the language's own pieces, to reach deep into the parser.
fn query_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("("),
        Just(")"),
        Just("-"),
        Just(" or "),
        Just(" and "),
        Just(" "),
        Just("\""),
        Just("deck:"),
        Just("tag:"),
        Just("is:"),
        Just("prop:"),
        Just("rated:"),
        Just("added:"),
        Just("ivl"),
        Just("ease"),
        Just(">="),
        Just("<"),
        Just("="),
        Just("!="),
        Just("new"),
        Just("due"),
        Just("7"),
        Just(":"),
        Just("-3"),
        Just("2.5"),
        Just("*"),
        Just("a"),
        Just("Kinesis"),
        Just("::"),
        Just("é"),
        Just("\\"),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn any_string_parses_or_errs_without_panicking(s in ".{0,80}") {
        if let Err(e) = parse(&s) {
            prop_assert!(e.position <= s.chars().count());
        }
    }

    #[test]
    fn any_query_like_string_parses_or_errs_without_panicking(s in query_like()) {
        if let Err(e) = parse(&s) {
            prop_assert!(e.position <= s.chars().count());
            prop_assert!(!e.message.is_empty());
        }
    }
}

/// The same property over 200 000 inputs (proptest's generators are too slow in a debug build
/// for that many): random mixes of the language's pieces and arbitrary characters.
#[test]
fn two_hundred_thousand_random_queries_never_panic() {
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};
    const PIECES: &[&str] = &[
        "(", ")", "-", " or ", " and ", " ", "\"", "deck:", "tag:", "is:", "prop:", "rated:",
        "added:", "ivl", "ease", "due", ">=", "<", "=", "!=", "new", "7", ":", "-3", "2.5", "*",
        "a", "Kinesis", "::", "\\", "OR", "é", "\u{0}", "🦀",
    ];
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let mut errors = 0;
    for _ in 0..200_000 {
        let mut s = String::new();
        for _ in 0..rng.random_range(0..16) {
            if rng.random_range(0..4) == 0 {
                s.push(char::from_u32(rng.random_range(0..0x3000)).unwrap_or('x'));
            } else {
                s.push_str(PIECES[rng.random_range(0..PIECES.len())]);
            }
        }
        if let Err(e) = parse(&s) {
            assert!(e.position <= s.chars().count(), "{s:?}: {e:?}");
            errors += 1;
        }
    }
    // Both outcomes were exercised.
    assert!(errors > 1_000 && errors < 199_000, "{errors} errors");
}

// ---- the SQL against the reference -----------------------------------------------------------

fn at(day: NaiveDate, hour: u32) -> DateTime<FixedOffset> {
    day.and_hms_opt(hour, 0, 0)
        .unwrap()
        .and_utc()
        .fixed_offset()
}

/// A collection with a history: 40 days of study with varied answers, some cards suspended,
/// some retired (their facts removed), some added late.
fn seeded() -> (Collection, NaiveDate) {
    let mut cards = generate(&parse_facts(&bundled_files()).unwrap());
    let late: Vec<_> = cards.split_off(cards.len() - 15);
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let mut coll = Collection::in_memory(&cards, at(start, 12)).unwrap();
    coll.settings.scheduler.grading = awscards::model::schedule::Grading::SixGrades;
    coll.settings.new_per_day = 12;
    coll.settings.reviews_per_day = 60;
    let mut n = 0u64;
    for d in 0..40 {
        let day = start + TimeDelta::days(d);
        if d == 20 {
            let mut all = cards.clone();
            all.extend(late.iter().cloned());
            coll.store_mut().sync_cards(&all, day, None).unwrap();
        }
        if d >= 34 {
            // A break before "today": cards become overdue.
            continue;
        }
        coll.clock = Clock::Fixed(at(day, 12));
        let mut session = Session::start(&coll, "", day).unwrap();
        let mut answers = 0;
        while session.current().is_some() && answers < 40 {
            n = n
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let q = [1, 3, 4, 4, 5, 0, 2, 4][(n >> 59) as usize % 8];
            session
                .answer(&mut coll, q, at(day, 12), Duration::from_secs(2))
                .unwrap();
            answers += 1;
        }
    }
    let all = coll.store().all_cards().unwrap();
    let ids: Vec<i64> = all.iter().filter(|c| c.id % 7 == 0).map(|c| c.id).collect();
    coll.store_mut().set_suspended(&ids, true).unwrap();
    let today = start + TimeDelta::days(40);
    // Retire a few: sync without their facts.
    let keep: Vec<_> = cards.iter().chain(late.iter()).skip(5).cloned().collect();
    coll.store_mut().sync_cards(&keep, today, None).unwrap();
    // Some answers today, some failed (repeat pending).
    coll.clock = Clock::Fixed(at(today, 12));
    let mut session = Session::start(&coll, "", today).unwrap();
    for q in [1, 4, 2, 5, 3, 1] {
        if session.current().is_some() {
            session
                .answer(&mut coll, q, at(today, 12), Duration::from_secs(1))
                .unwrap();
        }
    }
    (coll, today)
}

fn reference_facts(card: &StoredCard, coll: &Collection) -> CardFacts {
    let s = &card.state;
    CardFacts {
        deck: card.deck.clone(),
        front: card.front.clone(),
        back: card.back.clone(),
        tags: card.tags.join(" "),
        is_new: s.is_new,
        repetitions: s.repetitions,
        ease: s.ease,
        interval: s.interval,
        due_day: (!s.is_new).then(|| day_number(s.due)),
        lapses: s.lapses,
        last_review_day: s.last_review.map(day_number),
        repeat_pending: s.repeat_pending,
        stability: s.stability,
        difficulty: s.difficulty,
        suspended: card.suspended,
        retired: card.retired,
        user: card
            .key
            .starts_with(awscards::model::cardgen::USER_KEY_PREFIX),
        leech: card.leech,
        flag: card.flag,
        buried: coll
            .store()
            .buried(coll.today())
            .unwrap()
            .contains(&card.id),
        added_day: day_number(card.added),
        reviews: coll
            .store()
            .log(Some(card.id))
            .unwrap()
            .iter()
            .map(|l| (day_number(l.study_day), l.quality))
            .collect(),
    }
}

/// The seeded collection, its today, and every card as the reference evaluator sees it.
fn seeded_with_reference() -> (Collection, NaiveDate, Vec<(i64, CardFacts)>) {
    let (coll, today) = seeded();
    let cards = coll
        .store()
        .all_cards()
        .unwrap()
        .iter()
        .map(|c| (c.id, reference_facts(c, &coll)))
        .collect();
    (coll, today, cards)
}

fn check(coll: &Collection, today: NaiveDate, cards: &[(i64, CardFacts)], query: &str) -> usize {
    let q = parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    let sql: BTreeSet<i64> = coll
        .store()
        .search_ids(&q, today)
        .unwrap()
        .into_iter()
        .collect();
    let reference: BTreeSet<i64> = cards
        .iter()
        .filter(|(_, c)| matches(&q, c, day_number(today)))
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(sql, reference, "{query}");
    assert_eq!(
        coll.store().count_matching(&q, today).unwrap() as usize,
        sql.len(),
        "{query}"
    );
    sql.len()
}

const EVERY_OPERATOR: &[&str] = &[
    "",
    "kinesis",
    "KINESIS",
    "\"data streams\"",
    "fire*hose",
    "[...]",
    "deck:\"AWS Big Data\"",
    "deck:\"AWS Big Data::Instance families\"",
    "deck:*firehose",
    "deck:\"AWS Big\"",
    "tag:instance-family",
    "tag:s3",
    "tag:*optimized",
    "is:new",
    "is:due",
    "is:review",
    "is:repeat",
    "is:suspended",
    "is:retired",
    "-is:retired",
    "is:user",
    "-is:user",
    "is:leech",
    "-is:leech",
    "tag:leech",
    "-tag:leech",
    "tag:l*",
    "is:buried",
    "-is:buried",
    "flag:0",
    "flag:2",
    "-flag:0",
    "prop:ivl>=6",
    "prop:ivl=1",
    "prop:ivl!=1",
    "prop:ivl<15",
    "prop:ease<2.5",
    "prop:ease>=2.6",
    "prop:ease=1.3",
    "prop:lapses>0",
    "prop:lapses>=2",
    "prop:reps=2",
    "prop:reps>3",
    "prop:due<=0",
    "prop:due<0",
    "prop:due=1",
    "prop:due>5",
    "-prop:due>5",
    "rated:1",
    "rated:7",
    "rated:7:1",
    "rated:30:4",
    "rated:365:0",
    "added:1",
    "added:20",
    "added:21",
    "added:25",
    "added:40",
    "added:41",
    "added:100",
    "kinesis or tag:s3",
    "tag:instance-family -is:new",
    "(is:due or is:repeat) -is:suspended",
    "-(tag:s3 or tag:firehose) prop:lapses>0",
    "deck:\"AWS Big Data::Integrations\" -kinesis rated:7",
    "is:retired or is:suspended",
    "-is:new -is:due -is:suspended",
    // The shapes the full-text index and the deck names answer: words and tags at the top
    // (asked together), under `or` and `not`, too short for trigrams, decks matching every
    // deck or none, inside `or` with retired cards.
    "stream kinesis",
    "\"data stream\" tag:kinesis*",
    "is:due -tag:s3",
    "-kinesis -tag:firehose",
    "kinesis or -tag:*optimized",
    "s3 ec2",
    "tag:*-*",
    "deck:AWS*",
    "deck:AWS* kinesis",
    "-deck:AWS*",
    "deck:nothing*",
    "deck:nothing* or is:new",
    "deck:AWS* or is:retired",
    "-deck:nothing* is:retired",
];

#[test]
fn every_operator_agrees_with_the_reference() {
    let (coll, today, cards) = seeded_with_reference();
    // The seeded collection covers every state, so no operator passes vacuously.
    for must_match in [
        "is:new",
        "is:due",
        "is:review",
        "is:repeat",
        "is:suspended",
        "is:retired",
        "prop:lapses>0",
        "rated:7:1",
        "added:25",
        "prop:due<0",
        "prop:ease<2.5",
    ] {
        assert!(
            check(&coll, today, &cards, must_match) > 0,
            "{must_match} matches nothing"
        );
    }
    for q in EVERY_OPERATOR {
        check(&coll, today, &cards, q);
    }
    // Retired cards only show when asked for.
    let everything = check(&coll, today, &cards, "");
    let retired = check(&coll, today, &cards, "is:retired");
    assert_eq!(everything + retired, cards.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random combinations of the operators: SQL and reference agree on every one.
    #[test]
    fn random_queries_agree_with_the_reference(
        picks in prop::collection::vec((0..EVERY_OPERATOR.len(), 0..4u8), 1..5)
    ) {
        thread_local! {
            static SEEDED: (Collection, NaiveDate, Vec<(i64, CardFacts)>) = seeded_with_reference();
        }
        let mut query = String::new();
        for (i, (term, glue)) in picks.iter().enumerate() {
            let term = EVERY_OPERATOR[*term];
            if term.is_empty() { continue; }
            if i > 0 && !query.is_empty() {
                query.push_str(match glue { 0 => " or ", 1 => " -", _ => " " });
            }
            query.push('(');
            query.push_str(term);
            query.push(')');
        }
        SEEDED.with(|(coll, today, cards)| {
            check(coll, *today, cards, &query);
        });
    }
}

#[test]
fn user_text_never_reaches_the_sql() {
    let (coll, today) = seeded();
    let before = coll.store().all_cards().unwrap().len();
    for evil in [
        "\"'); DROP TABLE cards; --\"",
        "deck:\"x' OR 1=1 --\"",
        "tag:\"'\"",
        "\"%\"",
        "\"_\"",
    ] {
        let q = parse(evil).unwrap();
        let ids = coll.store().search_ids(&q, today).unwrap();
        assert!(ids.len() < before, "{evil} matched everything");
    }
    assert_eq!(coll.store().all_cards().unwrap().len(), before);
    // LIKE's wildcards are plain characters here: "%" finds the cards that hold one.
    let with_percent = coll
        .store()
        .all_cards()
        .unwrap()
        .iter()
        .filter(|c| c.front.contains('%') || c.back.contains('%'))
        .count();
    assert!(with_percent < before);
    assert_eq!(
        coll.store()
            .search_ids(&parse("\"%\"").unwrap(), today)
            .unwrap()
            .len(),
        with_percent
    );
}

proptest! {
    /// The allocation-free ASCII path of text search equals the general wildcard matcher.
    #[test]
    fn fast_text_search_equals_the_wildcard_matcher(needle in "[a-cA-C .]{0,4}", text in "[a-cA-C .]{0,24}") {
        prop_assert_eq!(
            search::text_matches(&needle, &text),
            search::wildcard_match(&format!("*{needle}*"), &text)
        );
    }
}

#[test]
fn fsrs_properties_agree_with_the_reference_once_fsrs_schedules() {
    let (mut coll, today) = seeded();
    let facts = |coll: &Collection| -> Vec<(i64, CardFacts)> {
        coll.store()
            .all_cards()
            .unwrap()
            .iter()
            .map(|c| (c.id, reference_facts(c, coll)))
            .collect()
    };
    // Under SM-2 no card has an FSRS state: prop:s, d and r match nothing.
    assert_eq!(check(&coll, today, &facts(&coll), "prop:s>0"), 0);
    let mut s = coll.settings;
    s.scheduler.algorithm = awscards::model::schedule::Algorithm::Fsrs;
    coll.save_settings(s).unwrap();
    let cards = facts(&coll);
    let mut found = 0;
    for q in [
        "prop:s>0",
        "prop:s>=5",
        "prop:s<2.5",
        "prop:d>0.3",
        "prop:d<=0.5",
        "prop:r<0.9",
        "prop:r>=0.95",
        "prop:r<0.9 -is:suspended",
        "prop:s>3 or prop:d>0.8",
    ] {
        found += check(&coll, today, &cards, q);
    }
    assert!(found > 100, "{found}");
    assert!(check(&coll, today, &cards, "prop:r<0.9") > 0);
}

#[test]
fn prop_r_follows_the_forgetting_curve_of_the_parameters_in_use() {
    let (mut coll, today) = seeded();
    let mut s = coll.settings;
    s.scheduler.algorithm = awscards::model::schedule::Algorithm::Fsrs;
    // FSRS-6's defaults with a steeper curve (decay 0.5, FSRS-5's).
    let mut weights = awscards::model::schedule::fsrs::DEFAULT_WEIGHTS;
    weights[20] = 0.5;
    s.scheduler.fsrs_parameters = Some(awscards::model::schedule::fsrs::Optimised {
        weights,
        reviews: 400,
        day: today,
    });
    coll.save_settings(s).unwrap();
    let t = day_number(today);
    let cards = coll.store().all_cards().unwrap();
    for threshold in [0.5, 0.8, 0.9, 0.95, 0.99] {
        let want: BTreeSet<i64> = cards
            .iter()
            .filter(|c| !c.retired && c.state.stability > 0.0)
            .filter_map(|c| {
                let days = t - day_number(c.state.last_review?);
                let r = search::retrievability(c.state.stability, days, 0.5);
                (r < threshold).then_some(c.id)
            })
            .collect();
        let q = parse(&format!("prop:r<{threshold}")).unwrap();
        let got: BTreeSet<i64> = coll
            .store()
            .search_ids(&q, today)
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(got, want, "prop:r<{threshold}");
    }
    let default_curve = cards
        .iter()
        .filter(|c| c.state.stability > 0.0 && c.state.last_review.is_some())
        .filter(|c| {
            let days = t - day_number(c.state.last_review.unwrap());
            let steep = search::retrievability(c.state.stability, days, 0.5);
            let flat = search::retrievability(c.state.stability, days, 0.1542);
            // (Every curve gives 0.9 after `stability` days: they differ elsewhere.)
            [0.8, 0.95].iter().any(|&x| (steep < x) != (flat < x))
        })
        .count();
    // The two curves disagree on some cards, so the test tells them apart.
    assert!(default_curve > 0);
}
