//! Seed coverage: every claim of the study notes (`../shared/source/aws-big-data-notes.md`)
//! reaches the question or answer of a card, in its corrected form where the notes were wrong.
//! The claims are listed here, by the notes' line, independently of `cards/`: removing or
//! rewording a fact so that a claim is no longer taught fails this test.

use std::collections::BTreeSet;

use awscards::model::bundled_files;
use awscards::model::cardgen::{Card, generate};
use awscards::model::facts::parse;

/// (line of the notes, words that one card's front and back together must hold).
const CLAIMS: &[(u32, &[&str])] = &[
    // IoT
    (5, &["IoT topic", "IoT Rules", "IoT Rule Actions"]),
    (5, &["IoT Rule Action", "Kinesis Data Streams"]),
    (5, &["IoT Rule Action", "DynamoDB"]),
    (5, &["IoT Rule Action", "SNS"]),
    (5, &["IoT Rule Action", "S3"]),
    (5, &["IoT Rule Action", "Lambda"]),
    (5, &["IoT Rule Action", "SQS"]),
    // Kinesis Data Streams
    (9, &["Kinesis Data Streams producer", "SDK"]),
    (9, &["Kinesis Data Streams producer", "KPL"]),
    (9, &["Kinesis Data Streams producer", "Kinesis Agent"]),
    (9, &["Kinesis Data Streams producer", "Spark"]),
    (9, &["Kinesis Data Streams producer", "Kafka"]),
    (11, &["Kinesis Data Streams consumer", "SDK"]),
    (11, &["Kinesis Data Streams consumer", "KCL"]),
    (
        11,
        &["Kinesis Data Streams consumer", "Kinesis Connector Library"],
    ),
    (11, &["Kinesis Data Streams consumer", "Lambda"]),
    (11, &["Kinesis Data Streams consumer", "Spark"]),
    (11, &["Kinesis Data Streams consumer", "Firehose"]),
    // Kinesis Data Firehose
    (15, &["Firehose source", "SDK"]),
    (15, &["KPL", "Firehose", "Kinesis Data Streams"]),
    (15, &["Firehose source", "Kinesis Agent"]),
    (15, &["Firehose source", "Kinesis Data Streams"]),
    (15, &["Firehose source", "CloudWatch Logs"]),
    (15, &["Firehose source", "CloudWatch Events"]),
    (15, &["Firehose source", "IoT"]),
    (17, &["Firehose", "transform", "Lambda"]),
    (19, &["Firehose destination", "S3"]),
    (19, &["Firehose destination", "Redshift"]),
    (19, &["Firehose destination", "Splunk"]),
    (19, &["Firehose destination", "Elasticsearch"]),
    // Kinesis Data Analytics
    (
        23,
        &["Kinesis Data Analytics", "input", "Kinesis Data Streams"],
    ),
    (23, &["Kinesis Data Analytics", "input", "Firehose"]),
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
        &["Kinesis Data Analytics", "output", "Kinesis Data Streams"],
    ),
    (27, &["Kinesis Data Analytics", "output", "Firehose"]),
    (27, &["Kinesis Data Analytics", "output", "Lambda", "SNS"]),
    // SQS
    (31, &["SQS", "EC2", "ECS", "SDK"]),
    (31, &["SQS", "IoT"]),
    (31, &["SQS", "S3", "event notification"]),
    (33, &["SQS queue", "ReceiveMessage", "SDK"]),
    (33, &["SQS queue", "Lambda"]),
    // S3
    (37, &["writes data to Amazon S3", "Snowball"]),
    (37, &["writes data to Amazon S3", "Snowball Edge"]),
    (37, &["writes data to Amazon S3", "Firehose"]),
    (37, &["writes data to Amazon S3", "Redshift"]),
    (37, &["writes data to Amazon S3", "Athena"]),
    (37, &["writes data to Amazon S3", "Glue"]),
    (37, &["writes data to Amazon S3", "EMR"]),
    (37, &["writes data to Amazon S3", "DMS"]),
    (37, &["writes data to Amazon S3", "IoT Core"]),
    (37, &["writes data to Amazon S3", "Data Pipeline"]),
    (39, &["S3 event notifications", "Lambda"]),
    (39, &["S3 event notifications", "SQS"]),
    (39, &["S3 event notifications", "SNS"]),
    // DynamoDB
    (45, &["into DynamoDB", "SDK"]),
    (46, &["into DynamoDB", "MySQL", "DMS"]),
    (47, &["into DynamoDB", "batch", "Data Pipeline"]),
    (48, &["DynamoDB Streams", "change log"]),
    (48, &["DynamoDB Streams consumer", "Lambda"]),
    (48, &["DynamoDB Streams consumer", "KCL", "EC2"]),
    (49, &["Glue", "DynamoDB", "Glue Data Catalog"]),
    (50, &["EMR", "DynamoDB", "Hive"]),
    // Glue
    (54, &["Glue data source", "DynamoDB"]),
    (54, &["Glue data source", "S3"]),
    (54, &["Glue data source", "JDBC", "RDS", "on-premises"]),
    (56, &["Glue crawlers", "schema", "table names"]),
    (57, &["Glue crawlers", "Glue Data Catalog"]),
    (59, &["Glue Data Catalog", "Redshift Spectrum"]),
    (59, &["Glue Data Catalog", "Athena"]),
    (59, &["Glue Data Catalog", "EMR", "Hive"]),
    // EMR
    (63, &["on Amazon EMR", "Hadoop"]),
    (63, &["on Amazon EMR", "Spark"]),
    (63, &["on Amazon EMR", "Hive"]),
    (63, &["on Amazon EMR", "Pig"]),
    (63, &["on Amazon EMR", "Presto"]),
    (63, &["on Amazon EMR", "HBase"]),
    (63, &["on Amazon EMR", "Jupyter"]),
    (63, &["on Amazon EMR", "Zeppelin"]),
    (63, &["on Amazon EMR", "Flink"]),
    (65, &["EMR", "S3", "EMRFS"]),
    (65, &["integration of Amazon EMR", "DynamoDB", "Hive"]),
    (65, &["integration of Amazon EMR", "Ranger"]),
    (65, &["integration of Amazon EMR", "Glue Data Catalog"]),
    // Amazon Machine Learning
    (69, &["Amazon Machine Learning", "S3"]),
    (69, &["Amazon Machine Learning", "Redshift"]),
    (69, &["Amazon Machine Learning", "Predictions API"]),
    // SageMaker
    (73, &["SageMaker", "TensorFlow"]),
    (73, &["SageMaker", "PyTorch"]),
    (73, &["SageMaker", "MXNet"]),
    (
        75,
        &["SageMaker", "training data", "S3", "EFS", "FSx for Lustre"],
    ),
    (75, &["SageMaker", "notebook", "deploy"]),
    // Data Pipeline
    (79, &["Data Pipeline", "S3"]),
    (79, &["Data Pipeline", "JDBC", "RDS"]),
    (79, &["Data Pipeline", "EMR", "Hive"]),
    (79, &["Data Pipeline", "DynamoDB"]),
    (81, &["Data Pipeline", "Batch processing"]),
    // Elasticsearch Service
    (85, &["Elasticsearch Service", "Kibana", "Logstash"]),
    (87, &["ELK stack", "Elasticsearch"]),
    (88, &["ELK stack", "Kibana", "visualization"]),
    (89, &["ELK stack", "Logstash", "log data"]),
    (91, &["Elasticsearch Service", "Firehose"]),
    (91, &["Elasticsearch Service", "IoT Core"]),
    (91, &["Elasticsearch Service", "CloudWatch Logs"]),
    (93, &["access to Amazon Elasticsearch Service", "IAM"]),
    (93, &["access to Amazon Elasticsearch Service", "Cognito"]),
    // Athena
    (97, &["Athena", "query data from", "S3", "Federated Query"]),
    (97, &["Athena", "metadata", "Glue Data Catalog"]),
    (99, &["Athena", "results", "S3"]),
    (101, &["QuickSight", "Athena", "S3"]),
    // Redshift
    (105, &["Redshift", "loads data from Amazon S3", "COPY"]),
    (105, &["Redshift", "UNLOAD"]),
    (105, &["Redshift", "without loading", "Redshift Spectrum"]),
    (107, &["QuickSight", "Redshift"]),
    (109, &["PostgreSQL", "Redshift", "DBLINK"]),
    // QuickSight
    (113, &["QuickSight data source", "RDS"]),
    (113, &["QuickSight data source", "Redshift"]),
    (113, &["QuickSight data source", "Athena"]),
    (113, &["QuickSight data source", "S3"]),
    (113, &["QuickSight data source", "Excel"]),
    (113, &["QuickSight data source", "Teradata"]),
    (113, &["QuickSight data source", "Jira"]),
    (113, &["QuickSight data source", "Salesforce"]),
    // Instance types: each of the notes' types reaches its series card (letter → family).
    (117, &["series \"T\"", "General purpose"]),
    (117, &["series \"M\"", "General purpose"]),
    (118, &["series \"C\"", "Compute optimized"]),
    (119, &["batch processing", "Compute optimized"]),
    (119, &["distributed analytics", "Compute optimized"]),
    (119, &["model", "Compute optimized"]),
    (120, &["series \"R\"", "Memory optimized"]),
    (120, &["series \"X\"", "Memory optimized"]),
    (120, &["series \"z\"", "Memory optimized"]),
    (121, &["high-performance database", "Memory optimized"]),
    (121, &["In-memory database", "Memory optimized"]),
    (121, &["Real-time analytics", "HBase", "Memory optimized"]),
    (122, &["series \"P\"", "Accelerated computing"]),
    (122, &["series \"G\"", "Accelerated computing"]),
    (122, &["series \"F\"", "Accelerated computing"]),
    (123, &["GPUs", "Accelerated computing"]),
    (123, &["learning (training)", "Accelerated computing"]),
    (
        123,
        &["high-performance computing", "Accelerated computing"],
    ),
    (124, &["series \"H\"", "Storage optimized"]),
    (124, &["series \"I\"", "Storage optimized"]),
    (124, &["series \"D\"", "Storage optimized"]),
    (125, &["HDFS", "Storage optimized"]),
    (125, &["NFS", "Storage optimized"]),
    (125, &["MapReduce", "Storage optimized"]),
    (125, &["Kafka", "Storage optimized"]),
    (125, &["Redshift", "node types"]),
    (129, &["Spark", "Memory optimized", "R series", "z1d"]),
    (130, &["TensorFlow", "Accelerated computing", "P-series"]),
];

fn text(c: &Card) -> String {
    format!("{}\n{}", c.front, c.back).to_lowercase()
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

/// The lines a card's source cites: "notes line 19", "notes lines 85-89".
fn cited_lines(source: &str) -> Vec<u32> {
    source
        .split("; ")
        .filter_map(|p| {
            let n = p
                .strip_prefix("notes lines ")
                .or_else(|| p.strip_prefix("notes line "))?;
            let (a, b) = n.split_once('-').unwrap_or((n, n));
            Some(a.parse::<u32>().unwrap()..=b.parse::<u32>().unwrap())
        })
        .flatten()
        .collect()
}

#[test]
fn cards_cite_lines_of_the_notes_that_hold_claims() {
    let claim_lines: BTreeSet<u32> = CLAIMS.iter().map(|(l, _)| *l).collect();
    for c in generate(&parse(&bundled_files()).unwrap()) {
        let Some(source) = &c.source else { continue };
        let lines = cited_lines(source);
        assert!(
            lines.is_empty() || lines.iter().any(|l| claim_lines.contains(l)),
            "{} cites {source}, a place of the notes with no claim",
            c.key
        );
    }
}
