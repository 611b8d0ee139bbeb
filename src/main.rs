//! `khuyenhoc`: the command line. Serving, migrating, seeding, printing the schema, minting
//! development tokens and checking configuration. Every failure is one line on stderr and a
//! non-zero exit status.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use khuyenhoc_core::service::statistics::tally;
use khuyenhoc_core::{db, demo};
use khuyenhoc_server::Config;

/// mimalloc instead of glibc's allocator: a GraphQL response allocates many small values, and
/// glibc's `malloc`/`free` took a quarter of the server's CPU at 16 clients (`perf`, national
/// benchmark; `bench/BASELINE.md`, finding 11).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// GraphQL backend of the Vietnam Association for Promoting Education (Hội Khuyến học Việt Nam).
#[derive(Debug, Parser)]
#[command(name = "khuyenhoc", version, propagate_version = true)]
struct Cli {
    /// Configuration file (TOML). Environment variables (`KHUYENHOC_…`, `DATABASE_URL`) override it.
    #[arg(long, global = true, env = "KHUYENHOC_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (GraphQL at /graphql, GraphiQL at /), migrating the database first.
    Serve(ServeArgs),
    /// Apply, roll back or inspect database migrations.
    Migrate {
        /// What to do.
        #[arg(value_enum, default_value_t = MigrateAction::Up)]
        action: MigrateAction,
        /// With `down`: how many migrations to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Load data into the database.
    Seed {
        /// Load the demo dataset (only into an empty database).
        #[arg(long, required = true)]
        demo: bool,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Print the GraphQL schema (SDL), as committed in schema/schema.graphql.
    Schema {
        /// Print the Apollo Federation v2 subgraph SDL instead (schema/subgraph.graphql).
        #[arg(long)]
        federation: bool,
    },
    /// Mint an access token for a user, signed with the configured key (for development).
    Token {
        /// The user's email.
        #[arg(long)]
        email: String,
        /// Lifetime, e.g. `1h`, `30m`, `7d` (default: the configured token lifetime).
        #[arg(long, value_parser = humantime_duration)]
        ttl: Option<Duration>,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Work with the trusted-documents manifest (registered operations).
    Documents {
        /// What to do.
        #[command(subcommand)]
        action: DocumentsAction,
    },
    /// Check or recompute the statistics tallies (derived from the assessments; see
    /// docs/statistics.md). Needed only after writing assessments around the server.
    Tallies {
        /// What to do.
        #[arg(value_enum, default_value_t = TalliesAction::Check)]
        action: TalliesAction,
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Inspect the configuration.
    Config {
        /// What to do.
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Debug, Subcommand)]
enum DocumentsAction {
    /// Check a manifest (Apollo persisted-query manifest, or a JSON object of SHA-256 hash to
    /// document): every hash matches its document and every document is valid against the
    /// schema. Exits non-zero and lists each problem otherwise.
    Check {
        /// The manifest file.
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigAction {
    /// Validate the configuration and print it with secrets redacted.
    Check,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TalliesAction {
    /// Compare the tallies with a recount; exit non-zero and list the differences if any.
    Check,
    /// Recompute the tallies from the assessments (one transaction).
    Rebuild,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum MigrateAction {
    /// Apply every pending migration.
    Up,
    /// Roll back the last `--steps` migrations.
    Down,
    /// List applied and pending migrations.
    Status,
}

#[derive(Debug, Args)]
struct DatabaseArg {
    /// Database URL (overrides configuration): sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Seed the demo dataset when the database is empty.
    #[arg(long)]
    demo: bool,
    /// Address to listen on (overrides configuration), e.g. 0.0.0.0:8080.
    #[arg(long, value_name = "ADDR")]
    bind: Option<std::net::SocketAddr>,
    #[command(flatten)]
    database: DatabaseArg,
}

fn humantime_duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

fn one_line(e: &anyhow::Error) -> String {
    format!("{e:#}")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn load_config(path: Option<&std::path::Path>, database: &DatabaseArg) -> Result<Config> {
    let mut config = Config::load(path)?;
    if let Some(url) = &database.database_url {
        config.database.url.clone_from(url);
        config.validate()?;
    }
    Ok(config)
}

async fn open(config: &Config) -> Result<sea_orm::DatabaseConnection> {
    let connection = db::connect(&config.database_settings()).await?;
    Ok(connection)
}

async fn run(cli: Cli) -> Result<()> {
    let config_path = cli.config.as_deref();
    match cli.command {
        Command::Serve(args) => {
            let mut config = load_config(config_path, &args.database)?;
            if let Some(bind) = args.bind {
                config.bind = bind;
            }
            khuyenhoc_server::telemetry::init(&config.log);
            let connection = open(&config).await?;
            db::migrate(&connection).await?;
            if args.demo {
                seed_demo_if_empty(&connection).await?;
            }
            khuyenhoc_server::serve(config, connection).await?;
        }
        Command::Tallies { action, database } => {
            let config = load_config(config_path, &database)?;
            let connection = open(&config).await?;
            db::migrate(&connection).await?;
            match action {
                TalliesAction::Check => {
                    let drift = tally::drift(&connection).await?;
                    if !drift.is_empty() {
                        for line in &drift {
                            println!("{line}");
                        }
                        bail!("{} tally rows differ from a recount", drift.len());
                    }
                    println!("the statistics tallies match the assessments");
                }
                TalliesAction::Rebuild => {
                    tally::rebuild(&connection).await?;
                    println!("the statistics tallies were recomputed");
                }
            }
        }
        Command::Migrate {
            action,
            steps,
            database,
        } => {
            let config = load_config(config_path, &database)?;
            let connection = open(&config).await?;
            match action {
                MigrateAction::Up => {
                    db::migrate(&connection).await?;
                    println!("database is up to date");
                }
                MigrateAction::Down => {
                    db::rollback(&connection, Some(steps)).await?;
                    println!("rolled back {steps} migration(s)");
                }
                MigrateAction::Status => print_status(&db::migration_status(&connection).await?),
            }
        }
        Command::Seed { demo: _, database } => {
            let config = load_config(config_path, &database)?;
            let connection = open(&config).await?;
            db::migrate(&connection).await?;
            if !demo::is_empty(&connection).await? {
                bail!(
                    "the database already holds data; the demo dataset loads only into an empty database"
                );
            }
            let report = demo::seed(&connection).await?;
            println!("seeded the demo dataset: {report:?}");
        }
        Command::Schema { federation: false } => print!("{}", khuyenhoc_graphql::sdl()),
        Command::Schema { federation: true } => print!("{}", khuyenhoc_graphql::subgraph_sdl()),
        Command::Token {
            email,
            ttl,
            database,
        } => {
            let config = load_config(config_path, &database)?;
            let tokens = khuyenhoc_core::auth::Tokens::new(config.token_settings()?)?;
            let connection = open(&config).await?;
            let user = khuyenhoc_core::service::user::find_active_by_email(&connection, &email)
                .await?
                .with_context(|| format!("no active user with email {email}"))?;
            let issued = tokens.issue(user.id, ttl)?;
            println!("{}", issued.token);
        }
        Command::Documents {
            action: DocumentsAction::Check { file },
        } => {
            let manifest = khuyenhoc_server::documents::load_manifest(&file)?;
            let mut problems = Vec::new();
            let mut entries: Vec<_> = manifest.iter().collect();
            entries.sort();
            for (hash, document) in entries {
                for error in khuyenhoc_graphql::schema::validation_errors(document).await {
                    problems.push(format!("{hash}: {error}"));
                }
            }
            if !problems.is_empty() {
                for problem in &problems {
                    eprintln!("{problem}");
                }
                anyhow::bail!(
                    "{} problem(s) in {} operation(s) of {}",
                    problems.len(),
                    manifest.len(),
                    file.display()
                );
            }
            println!("{} operation(s) valid", manifest.len());
        }
        Command::Config {
            action: ConfigAction::Check,
        } => {
            let config = Config::load(config_path)?;
            println!("# configuration is valid\n{}", config.redacted_toml());
        }
    }
    Ok(())
}

async fn seed_demo_if_empty(connection: &sea_orm::DatabaseConnection) -> Result<()> {
    if demo::is_empty(connection).await? {
        let report = demo::seed(connection).await?;
        tracing::info!(?report, "seeded the demo dataset");
    } else {
        tracing::info!("database already holds data; demo dataset not loaded");
    }
    Ok(())
}

fn print_status(state: &db::MigrationState) {
    for name in &state.applied {
        println!("applied  {name}");
    }
    for name in &state.pending {
        println!("pending  {name}");
    }
    for name in &state.unknown {
        println!("UNKNOWN  {name} (applied by a newer khuyenhoc)");
    }
}
