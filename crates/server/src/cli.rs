//! Subcommands: `serve` (the default), `migrate` and `admin`.

use std::io::Write;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::services::companies::{self, NewCompany};
use crate::{auth, state};

#[derive(Parser, Debug)]
#[command(
    name = "voxdial",
    version,
    about = "Voxdial: AI 外呼平台 (AI outbound calling)"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub config: Config,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the console and the API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the API's OpenAPI description (what `/api/openapi.json` serves) and exit.
    Openapi,
    /// Administer accounts from the command line.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create a company with its admin (the company owner).
    CreateCompany {
        #[arg(long)]
        company: String,
        #[arg(long)]
        name: String,
        /// Mobile number: the admin's login.
        #[arg(long)]
        phone: String,
        #[arg(long)]
        password: String,
    },
    /// Create a platform operator (平台运营) account.
    CreateOperator {
        #[arg(long)]
        login: String,
        #[arg(long, default_value = "平台运营")]
        name: String,
        #[arg(long)]
        password: String,
    },
    /// Set a new password for a member (by phone or e-mail) or an operator (by login).
    ResetPassword {
        #[arg(long)]
        login: String,
        #[arg(long)]
        password: String,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => crate::api::serve(config).await,
        Command::Openapi => {
            // The description is this command's output, for scripts/api-types.
            let json = crate::api::openapi().to_pretty_json()?;
            writeln!(std::io::stdout().lock(), "{json}")?;
            Ok(())
        }
        Command::Migrate => {
            let db = state::open_database(&config).await?;
            tracing::info!(database = store::backend_name(&db), "migrations applied");
            Ok(())
        }
        Command::Admin(command) => {
            let db = state::open_database(&config).await?;
            admin(&db, command).await
        }
    }
}

#[allow(clippy::print_stdout)] // the operator reads the result on the terminal
async fn admin(db: &sea_orm::DatabaseConnection, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateCompany {
            company,
            name,
            phone,
            password,
        } => {
            let created = companies::create(
                db,
                NewCompany {
                    name: company,
                    admin_name: name,
                    admin_phone: phone,
                    admin_password: Some(password),
                },
            )
            .await?;
            println!(
                "created company {} (id {}), admin login {}",
                created.company.name, created.company.id, created.owner.phone
            );
        }
        AdminCommand::CreateOperator {
            login,
            name,
            password,
        } => {
            let operator = auth::accounts::create_operator(db, &login, &name, &password)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message))?;
            println!("created operator {} (id {})", operator.login, operator.id);
        }
        AdminCommand::ResetPassword { login, password } => {
            auth::accounts::reset_password_by_login(db, &login, &password)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message))
                .context("reset password")?;
            println!("password of {login} changed");
        }
    }
    Ok(())
}
