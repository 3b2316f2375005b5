//! The DEA-C01 deck against the exam it is for: the task statements and the services of the
//! AWS Certified Data Engineer – Associate exam guide are written here, from the guide, not
//! taken from `cards/`; each must have its cards.

use crate::common;

use std::collections::{HashMap, HashSet};

use awscards::model::cardgen::Card;
use awscards::model::lint::content_words;

const DECK: &str = "AWS Data Engineer (DEA-C01)";

/// The exam guide's task statements, by domain. Domains 1 and 4 as the AWS Certification user
/// guide's pages give them; Tasks 1.3–1.4, 2.x, 3.x and 4.4–4.5 as the guide (version 1.0)
/// words them, whose pages were not in the stored AWS documentation.
const TASK_STATEMENTS: &[(&str, &str)] = &[
    ("dea-1.1", "Perform data ingestion"),
    ("dea-1.2", "Transform and process data"),
    ("dea-1.3", "Orchestrate data pipelines"),
    ("dea-1.4", "Apply programming concepts"),
    ("dea-2.1", "Choose a data store"),
    ("dea-2.2", "Understand data cataloging systems"),
    ("dea-2.3", "Manage the lifecycle of data"),
    ("dea-2.4", "Design data models and schema evolution"),
    ("dea-3.1", "Automate data processing by using AWS services"),
    ("dea-3.2", "Analyze data by using AWS services"),
    ("dea-3.3", "Maintain and monitor data pipelines"),
    ("dea-3.4", "Ensure data quality"),
    ("dea-4.1", "Apply authentication mechanisms"),
    ("dea-4.2", "Apply authorization mechanisms"),
    ("dea-4.3", "Ensure data encryption and masking"),
    ("dea-4.4", "Prepare logs for audit"),
    ("dea-4.5", "Understand data privacy and governance"),
];

/// The exam's domains: one sub-deck each.
const DOMAINS: &[&str] = &[
    "Domain 1: Data Ingestion and Transformation",
    "Domain 2: Data Store Management",
    "Domain 3: Data Operations and Support",
    "Domain 4: Data Security and Governance",
];

/// The analytics, application-integration, database, migration, storage and security services
/// the guide's task statements name (as the guide names them), and the topics the deck was
/// asked to cover, with the id of the service in `cards/services.toml`.
const SERVICES: &[(&str, &str)] = &[
    // Analytics
    ("Amazon Athena", "athena"),
    ("Amazon EMR", "emr"),
    ("Amazon EMR Serverless", "emr-serverless"),
    ("Amazon EMR on EKS", "emr-on-eks"),
    ("AWS Glue", "glue"),
    ("AWS Glue DataBrew", "databrew"),
    ("AWS Glue Data Quality", "glue-data-quality"),
    ("AWS Glue Data Catalog", "glue-data-catalog"),
    ("AWS Lake Formation", "lake-formation"),
    ("Amazon Kinesis Data Streams", "kinesis-data-streams"),
    ("Amazon Data Firehose", "firehose"),
    ("Amazon Managed Service for Apache Flink", "managed-flink"),
    (
        "Amazon Managed Streaming for Apache Kafka (Amazon MSK)",
        "msk",
    ),
    ("Amazon MSK Connect", "msk-connect"),
    ("Amazon OpenSearch Service", "elasticsearch-service"),
    ("Amazon Quick Sight", "quicksight"),
    ("Amazon DataZone", "datazone"),
    // Application integration
    ("Amazon AppFlow", "appflow"),
    ("Amazon EventBridge", "eventbridge"),
    ("Amazon EventBridge Scheduler", "eventbridge-scheduler"),
    ("Amazon MWAA (Apache Airflow)", "mwaa"),
    ("AWS Step Functions", "step-functions"),
    ("Amazon SNS", "sns"),
    ("Amazon SQS", "sqs"),
    ("Amazon API Gateway", "api-gateway"),
    // Compute and containers
    ("AWS Lambda", "lambda"),
    ("Amazon ECS", "ecs"),
    ("Amazon EKS", "eks"),
    // Databases
    ("Amazon Redshift", "redshift"),
    ("Amazon Redshift Serverless", "redshift-serverless"),
    ("Amazon DynamoDB", "dynamodb"),
    ("Amazon DynamoDB Streams", "dynamodb-streams"),
    ("Amazon RDS", "rds"),
    ("Amazon Aurora", "aurora"),
    ("Amazon DocumentDB", "documentdb"),
    ("Amazon Keyspaces", "keyspaces"),
    ("Amazon MemoryDB", "memorydb"),
    ("Amazon Neptune", "neptune"),
    ("Amazon ElastiCache", "elasticache"),
    // Migration and transfer
    ("AWS DMS (Database Migration Service)", "dms"),
    ("AWS SCT (Schema Conversion Tool)", "dms-sct"),
    ("AWS DataSync", "datasync"),
    ("AWS Transfer Family", "transfer-family"),
    // Storage
    ("Amazon S3", "s3"),
    ("Amazon S3 Tables", "s3-tables"),
    ("Apache Iceberg", "iceberg-tables"),
    ("AWS Backup", "backup"),
    // Security, identity, governance, management
    ("AWS IAM", "iam"),
    ("AWS IAM Identity Center", "iam-identity-center"),
    ("AWS KMS (Key Management Service)", "kms"),
    ("AWS Secrets Manager", "secrets-manager"),
    ("AWS Systems Manager Parameter Store", "parameter-store"),
    ("AWS PrivateLink (VPC endpoints)", "vpc-endpoints"),
    ("Amazon Macie", "macie"),
    ("AWS CloudTrail", "cloudtrail"),
    ("Amazon CloudWatch", "cloudwatch"),
    ("Amazon CloudWatch Logs", "cloudwatch-logs"),
    ("AWS Config", "config"),
    ("AWS CloudFormation", "cloudformation"),
];

fn dea_cards(cards: &[Card]) -> Vec<&Card> {
    let prefix = format!("{DECK}::");
    cards
        .iter()
        .filter(|c| c.deck.starts_with(&prefix))
        .collect()
}

/// The service a card is about: the subject of its fact (`integration/<subject>/…`).
fn subject(card: &Card) -> Option<&str> {
    card.key.strip_prefix("integration/")?.split('/').next()
}

#[test]
fn every_task_statement_has_at_least_five_cards() {
    let cards = common::bundled_cards();
    let mut by_tag: HashMap<&str, usize> = HashMap::new();
    for c in dea_cards(&cards) {
        for t in &c.tags {
            *by_tag.entry(t.as_str()).or_default() += 1;
        }
    }
    for (tag, title) in TASK_STATEMENTS {
        let n = by_tag.get(tag).copied().unwrap_or(0);
        assert!(n >= 5, "task {tag} \"{title}\" has {n} cards");
    }
}

#[test]
fn every_service_the_guide_names_has_a_card_on_it() {
    let cards = common::bundled_cards();
    let subjects: HashSet<&str> = dea_cards(&cards).into_iter().filter_map(subject).collect();
    let missing: Vec<&str> = SERVICES
        .iter()
        .filter(|(_, id)| !subjects.contains(id))
        .map(|(name, _)| *name)
        .collect();
    assert!(missing.is_empty(), "no DEA-C01 card on {missing:?}");
}

#[test]
fn the_deck_has_300_cards_each_in_its_domain_with_its_task_and_page() {
    let cards = common::bundled_cards();
    let dea = dea_cards(&cards);
    assert!(dea.len() >= 300, "only {} DEA-C01 cards", dea.len());
    let tasks: HashSet<&str> = TASK_STATEMENTS.iter().map(|(t, _)| *t).collect();
    for c in &dea {
        let task = c
            .tags
            .iter()
            .find(|t| t.starts_with("dea-"))
            .unwrap_or_else(|| panic!("{} has no dea- tag", c.key));
        assert!(tasks.contains(task.as_str()), "{}: {task}", c.key);
        // Its sub-deck is the domain of its first task statement.
        let domain = DOMAINS[usize::from(task.as_bytes()[4] - b'1')];
        assert_eq!(c.deck, format!("{DECK}::{domain}"), "{}", c.key);
        assert!(
            c.source_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://docs.aws.amazon.com/")
                    || u.starts_with("https://aws.amazon.com/")),
            "{}: {:?}",
            c.key,
            c.source_url
        );
    }
}

#[test]
fn no_front_of_one_deck_is_asked_again_in_the_other() {
    let cards = common::bundled_cards();
    let words = |c: &Card| content_words(&c.front).join(" ");
    let notes_deck: HashMap<String, &str> = cards
        .iter()
        .filter(|c| c.deck.starts_with("AWS Big Data::"))
        .map(|c| (words(c), c.key.as_str()))
        .collect();
    for c in dea_cards(&cards) {
        assert!(
            !notes_deck.contains_key(&words(c)),
            "{} asks what {} asks",
            c.key,
            notes_deck[&words(c)]
        );
    }
}

#[test]
fn a_domain_is_one_search_away() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite");
    let cards = common::bundled_cards();
    for domain in 1..=4 {
        let query = format!("tag:dea-{domain}.*");
        let out = common::run_db(
            &db,
            "2026-12-02T10:00:00Z",
            &["cards", "--search", &query, "--json"],
        );
        assert!(out.status.success(), "{}", common::stderr(&out));
        let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let mut keys: Vec<&str> = found.iter().filter_map(|c| c["key"].as_str()).collect();
        keys.sort_unstable();
        let prefix = format!("dea-{domain}.");
        let mut expected: Vec<&str> = dea_cards(&cards)
            .into_iter()
            .filter(|c| c.tags.iter().any(|t| t.starts_with(&prefix)))
            .map(|c| c.key.as_str())
            .collect();
        expected.sort_unstable();
        assert!(expected.len() >= 40, "{query}: {}", expected.len());
        assert_eq!(keys, expected, "{query}");
    }
}
