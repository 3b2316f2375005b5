//! Seed coverage: every claim of the study notes (`../shared/source/aws-big-data-notes.md`)
//! reaches the question, answer or note of a card, in its corrected form where the notes were
//! wrong, and in the one "what replaced it" card of a service that is gone. The claims are
//! listed here, by the notes' line, independently of `cards/`: removing or rewording a fact so
//! that a claim is no longer taught fails this test.

use std::collections::BTreeSet;

use awscards::model::bundled_files;
use awscards::model::cardgen::{Card, generate};
use awscards::model::facts::parse;

/// (line of the notes, words that one card's front, back and note together must hold).
const CLAIMS: &[(u32, &[&str])] = &[
    // IoT
    (5, &["IoT", "topic", "rule", "action"]),
    (5, &["IoT rule action", "Kinesis Data Streams"]),
    (5, &["IoT rule action", "DynamoDB"]),
    (5, &["IoT rule action", "Amazon SNS"]),
    (5, &["IoT rule action", "Amazon S3"]),
    (5, &["IoT rule action", "AWS Lambda"]),
    (5, &["IoT rule action", "Amazon SQS"]),
    // Kinesis Data Streams
    (9, &["Kinesis data stream", "PutRecord", "AWS SDK"]),
    (9, &["shard-based stream", "KPL (Kinesis Producer Library)"]),
    (9, &["shard-based stream", "Kinesis Agent"]),
    (9, &["Kinesis data stream", "write", "Apache Spark"]),
    (11, &["GetRecords", "AWS SDK"]),
    (11, &["shard-based stream", "KCL (Kinesis Client Library)"]),
    (11, &["Kinesis Connector Library", "Firehose"]),
    (11, &["shard-based stream", "AWS Lambda"]),
    (11, &["Kinesis data stream", "read", "Apache Spark"]),
    (11, &["provisioned in shards", "Amazon Data Firehose"]),
    // Amazon Data Firehose (formerly Kinesis Data Firehose)
    (15, &["Firehose stream", "PutRecordBatch", "AWS SDK"]),
    (15, &["KPL", "Firehose", "Kinesis data stream"]),
    (15, &["Kinesis Agent", "Firehose"]),
    (15, &["Firehose", "Amazon Kinesis Data Streams"]),
    (
        15,
        &[
            "CloudWatch Logs",
            "subscription filter",
            "Amazon Data Firehose",
        ],
    ),
    (15, &["CloudWatch Events", "EventBridge", "Firehose"]),
    (15, &["IoT rule", "Amazon Data Firehose"]),
    (17, &["Firehose", "Lambda", "transformation"]),
    (19, &["Firehose stream", "Amazon S3"]),
    (19, &["Firehose destination", "Amazon Redshift"]),
    (19, &["Splunk", "Amazon Data Firehose"]),
    (
        19,
        &[
            "Firehose",
            "Amazon OpenSearch Service (formerly Amazon Elasticsearch Service)",
        ],
    ),
    // Kinesis Data Analytics for SQL: gone; what it did is history on its successor's cards.
    (
        23,
        &[
            "Kinesis Data Analytics",
            "inputs",
            "Kinesis data stream",
            "Firehose",
        ],
    ),
    (
        23,
        &[
            "Kinesis Data Analytics",
            "reference data",
            "JSON",
            "CSV",
            "S3",
        ],
    ),
    (25, &["Kinesis Data Analytics", "pre-process", "Lambda"]),
    (
        27,
        &[
            "Kinesis Data Analytics",
            "Kinesis data stream",
            "Firehose",
            "Lambda",
        ],
    ),
    (
        23,
        &[
            "Kinesis Data Analytics",
            "Managed Service for Apache Flink",
            "2025",
        ],
    ),
    // SQS
    (31, &["EC2", "ECS", "SendMessage", "AWS SDK"]),
    (31, &["SQS queue", "AWS IoT rules"]),
    (31, &["event-notification destination", "Amazon SQS"]),
    (33, &["ReceiveMessage", "AWS SDK"]),
    (33, &["queue", "AWS Lambda"]),
    // S3
    (37, &["Snowball", "S3", "DataSync"]),
    (37, &["Snowball Edge", "Outposts"]),
    (37, &["S3 bucket", "Amazon Data Firehose"]),
    (37, &["Redshift", "S3", "UNLOAD"]),
    (37, &["S3", "Amazon Athena"]),
    (37, &["S3", "AWS Glue"]),
    (37, &["s3://", "Amazon EMR", "EMRFS"]),
    (37, &["S3 bucket", "AWS DMS"]),
    (37, &["IoT rule action", "object", "Amazon S3"]),
    (37, &["Data Pipeline", "S3"]),
    (39, &["event-notification destination", "AWS Lambda"]),
    (39, &["event-notification destination", "Amazon SQS"]),
    (39, &["event-notification destination", "Amazon SNS"]),
    // DynamoDB
    (45, &["your own code", "DynamoDB", "BatchWriteItem"]),
    (46, &["MySQL", "DynamoDB", "AWS DMS"]),
    (47, &["Data Pipeline", "batch", "DynamoDB"]),
    (48, &["DynamoDB table", "change", "DynamoDB Streams"]),
    (48, &["DynamoDB table", "AWS Lambda"]),
    (48, &["DynamoDB", "EC2", "KCL (Kinesis Client Library)"]),
    (49, &["DynamoDB", "AWS Glue crawler", "Data Catalog"]),
    (50, &["EMR", "DynamoDB", "Apache Hive"]),
    // Glue
    (54, &["crawler", "Amazon S3 and Amazon DynamoDB"]),
    (54, &["Glue", "on-premises", "RDS", "JDBC"]),
    (56, &["crawler", "schema", "tables"]),
    (57, &["crawler", "Glue Data Catalog"]),
    (59, &["Redshift Spectrum", "AWS Glue Data Catalog"]),
    (59, &["Athena", "AWS Glue Data Catalog"]),
    (59, &["EMR", "Hive", "AWS Glue Data Catalog"]),
    // EMR
    (63, &["Amazon EMR", "Apache Hadoop"]),
    (63, &["Amazon EMR", "Apache Spark"]),
    (63, &["Amazon EMR", "Apache Hive"]),
    (63, &["Amazon EMR", "Apache Pig"]),
    (63, &["Amazon EMR", "PrestoDB", "Trino"]),
    (63, &["Amazon EMR", "Apache HBase"]),
    (63, &["Amazon EMR", "JupyterHub"]),
    (63, &["Amazon EMR", "Apache Zeppelin"]),
    (63, &["Amazon EMR", "Apache Flink"]),
    (65, &["EMR", "S3", "EMRFS"]),
    (65, &["EMR clusters", "Apache Ranger"]),
    (65, &["EMR", "AWS Glue Data Catalog"]),
    // Amazon Machine Learning: gone; its one card keeps what it did.
    (
        69,
        &["Amazon Machine Learning", "S3", "Redshift", "predictions"],
    ),
    // SageMaker AI
    (73, &["SageMaker AI", "TensorFlow", "PyTorch"]),
    (73, &["SageMaker AI", "MXNet"]),
    (
        75,
        &["SageMaker AI", "training", "S3", "EFS", "FSx for Lustre"],
    ),
    (75, &["SageMaker AI", "notebook", "deploy"]),
    // Data Pipeline: closed; its one card keeps what it worked with.
    (
        79,
        &[
            "Data Pipeline",
            "S3",
            "JDBC",
            "RDS",
            "EMR",
            "Hive",
            "DynamoDB",
        ],
    ),
    (81, &["Data Pipeline", "batch"]),
    // Amazon OpenSearch Service (formerly Amazon Elasticsearch Service)
    (
        85,
        &[
            "ELK",
            "OpenSearch Service",
            "OpenSearch Dashboards",
            "Logstash",
        ],
    ),
    (87, &["ELK", "Elasticsearch", "OpenSearch"]),
    (88, &["Kibana", "OpenSearch Dashboards"]),
    (89, &["Logstash", "OpenSearch Ingestion"]),
    (91, &["OpenSearch Service", "Amazon Data Firehose"]),
    (91, &["OpenSearch Service", "AWS IoT Core"]),
    (91, &["OpenSearch Service", "CloudWatch Logs"]),
    (93, &["OpenSearch Service", "AWS IAM"]),
    (93, &["OpenSearch Service", "Cognito"]),
    // Athena
    (97, &["Athena", "S3", "Federated Query"]),
    (97, &["Athena", "AWS Glue Data Catalog"]),
    (99, &["Athena", "results", "S3"]),
    (101, &["Quick Sight", "Amazon Athena", "S3"]),
    // Redshift
    (105, &["Redshift", "S3", "COPY"]),
    (105, &["Redshift", "S3", "UNLOAD"]),
    (105, &["Redshift", "without loading", "Redshift Spectrum"]),
    (107, &["Redshift", "Amazon Quick Sight"]),
    (109, &["PostgreSQL", "Redshift", "dblink"]),
    // Quick Sight (formerly QuickSight)
    (113, &["Quick Sight", "RDS"]),
    (113, &["Redshift", "Amazon Quick Sight"]),
    (113, &["Quick Sight", "Amazon Athena"]),
    (113, &["Quick Sight", "S3", "manifest"]),
    (113, &["Quick Sight", "Excel"]),
    (113, &["Teradata", "Amazon Quick Sight"]),
    (113, &["Jira", "Amazon Quick Sight"]),
    (113, &["Salesforce", "Amazon Quick Sight"]),
    // Instance types: each of the notes' types reaches its series card (letter → family).
    (117, &["\"T\" series", "General purpose"]),
    (117, &["\"M\" series", "General purpose"]),
    (118, &["\"C\" series", "Compute optimized"]),
    (119, &["batch job", "Compute optimized"]),
    (119, &["analytics job", "Compute optimized"]),
    (119, &["model", "Compute optimized"]),
    (120, &["\"R\" series", "Memory optimized"]),
    (120, &["\"X\" series", "Memory optimized"]),
    (120, &["\"z\" series", "Memory optimized"]),
    (121, &["database", "buffer pool", "Memory optimized"]),
    (121, &["Redis", "Memory optimized"]),
    (121, &["real-time", "HBase", "Memory optimized"]),
    (122, &["\"P\" series", "Accelerated computing"]),
    (122, &["\"G\" series", "Accelerated computing"]),
    (122, &["\"F\" series", "Accelerated computing"]),
    (123, &["NVIDIA GPU", "Accelerated computing"]),
    (123, &["trains", "Accelerated computing"]),
    (
        123,
        &["computational fluid dynamics", "Accelerated computing"],
    ),
    (124, &["\"H\" series", "Storage optimized"]),
    (124, &["\"I\" series", "Storage optimized"]),
    (124, &["\"D\" series", "Storage optimized"]),
    (125, &["HDFS", "Storage optimized"]),
    (125, &["NFS", "Storage optimized"]),
    (125, &["MapReduce", "Storage optimized"]),
    (125, &["Redshift", "node type"]),
    (129, &["Spark", "Memory optimized", "z1d"]),
    (130, &["PyTorch", "NVIDIA", "Accelerated computing"]),
];

/// Claims of the notes that no AWS page could confirm: taught nowhere, said here with why.
const UNCONFIRMED: &[(u32, &str)] = &[
    (
        9,
        "Apache Kafka as a Kinesis Data Streams producer: no AWS page documents it (only a \
         third-party connector on GitHub)",
    ),
    (
        27,
        "SNS behind a Kinesis Data Analytics output: the example is the notes', not AWS's",
    ),
    (
        125,
        "Apache Kafka on storage optimized instances: not among the workloads AWS lists for them",
    ),
];

fn text(c: &Card) -> String {
    format!(
        "{}\n{}\n{}",
        c.front,
        c.back,
        c.note.as_deref().unwrap_or("")
    )
    .to_lowercase()
}

#[test]
fn every_claim_of_the_notes_reaches_a_card() {
    let cards = generate(&parse(&bundled_files()).unwrap());
    let texts: Vec<String> = cards.iter().map(text).collect();
    let missing: Vec<String> = CLAIMS
        .iter()
        .filter(|(_, words)| {
            !texts
                .iter()
                .any(|t| words.iter().all(|w| t.contains(&w.to_lowercase())))
        })
        .map(|(line, words)| format!("line {line}: {words:?}"))
        .collect();
    assert!(missing.is_empty(), "claims no card teaches: {missing:#?}");
}

/// The lines a fact's provenance cites: "line 19", "lines 85-89", "lines 23, 27".
fn cited_lines(notes: &str) -> Vec<u32> {
    let Some(rest) = notes
        .strip_prefix("lines ")
        .or_else(|| notes.strip_prefix("line "))
    else {
        return Vec::new();
    };
    let list = rest.split(" (").next().unwrap_or(rest);
    list.split(", ")
        .flat_map(|part| {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            a.trim().parse::<u32>().unwrap()..=b.trim().parse::<u32>().unwrap()
        })
        .collect()
}

#[test]
fn facts_cite_lines_of_the_notes_that_hold_claims() {
    let claim_lines: BTreeSet<u32> = CLAIMS
        .iter()
        .map(|(l, _)| *l)
        .chain(UNCONFIRMED.iter().map(|(l, _)| *l))
        .collect();
    let facts = parse(&bundled_files()).unwrap();
    let mut provenance: Vec<&str> = Vec::new();
    for l in &facts.lists {
        provenance.extend(l.source.notes.as_deref());
        provenance.extend(l.items.iter().filter_map(|i| i.source.notes.as_deref()));
    }
    provenance.extend(facts.qas.iter().filter_map(|q| q.source.notes.as_deref()));
    provenance.extend(
        facts
            .families
            .iter()
            .filter_map(|f| f.source.notes.as_deref()),
    );
    assert!(provenance.len() > 30, "{provenance:?}");
    for notes in provenance {
        let lines = cited_lines(notes);
        assert!(!lines.is_empty(), "\"{notes}\" names no line");
        assert!(
            lines.iter().any(|l| claim_lines.contains(l)),
            "\"{notes}\" cites a place of the notes with no claim"
        );
    }
}
