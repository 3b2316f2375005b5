//! Criterion benches of the pure core (`cargo bench`): an SM-2 answer and its preview, parsing
//! the searches a user types, and generating cards from facts. The collection's figures
//! (queue, searches, answers on disk, export) are `awscards bench`'s.

use std::hint::black_box;

use awscards::model::schedule::{self, sm2};
use awscards::model::{cardgen, facts, search};
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

fn scheduling(c: &mut Criterion) {
    let config = schedule::Config::default();
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
    let mut learned = schedule::CardState::new_card();
    for (quality, day) in [(4, 0), (5, 1), (4, 7), (3, 23)] {
        let day = today + chrono::Days::new(day);
        learned = sm2::answer(&learned, quality, day, &config, "bench/card").unwrap_or(learned);
    }
    let later = today + chrono::Days::new(60);
    c.bench_function("sm2 answer", |b| {
        b.iter(|| {
            sm2::answer(
                black_box(&learned),
                black_box(4),
                later,
                &config,
                "bench/card",
            )
        })
    });
    c.bench_function("sm2 preview (every grade)", |b| {
        b.iter(|| schedule::preview(black_box(&learned), later, &config, "bench/card"))
    });
}

fn query_parsing(c: &mut Criterion) {
    for q in [
        "deck:AWS*",
        "tag:svc7 prop:ivl>10",
        "question 123",
        "is:due -tag:svc3",
        "(deck:\"AWS Big Data::Integrations\" or tag:kinesis*) -is:suspended rated:7:1 prop:ease<2.5",
    ] {
        c.bench_function(&format!("parse {q}"), |b| {
            b.iter(|| search::parse(black_box(q)))
        });
    }
}

fn generation(c: &mut Criterion) {
    let bundled = awscards::model::bundled_files();
    c.bench_function("bundled deck: parse facts and generate cards", |b| {
        b.iter(|| facts::parse(black_box(&bundled)).map(|f| cardgen::generate(&f).len()))
    });
    let synthetic = [facts::SourceFile {
        name: "generation.toml".into(),
        text: awscards::app::bench::generation_facts(10_000),
    }];
    let parsed = facts::parse(&synthetic);
    let mut group = c.benchmark_group("10 000 facts");
    group.sample_size(20);
    group.bench_function("parse", |b| {
        b.iter(|| facts::parse(black_box(&synthetic)).is_ok())
    });
    if let Ok(parsed) = &parsed {
        group.bench_function("generate cards", |b| {
            b.iter(|| cardgen::generate(black_box(parsed)).len())
        });
    }
    group.finish();
}

criterion_group!(benches, scheduling, query_parsing, generation);
criterion_main!(benches);
