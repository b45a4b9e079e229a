//! A community invite end to end: an invite that grants a role and that only the users of a
//! CSV file may accept. Checks the file first (with its line numbers), creates the invite,
//! waits for Discord to process the list, prints the link.
//!
//! ```text
//! DISCORD_TOKEN=... cargo run --example community_invite -- <channel id> <role id> supporters.csv
//! ```
//!
//! `supporters.csv` holds one user id per line, optionally under a `user_id` header. The bot
//! needs Create Instant Invite, Manage Roles (for the role) and Manage Server (for the list).

use std::time::Duration;

use discord_invite::client::{Client, TargetUsers, Token};
use discord_invite::{CreateGuildInviteRequest, Snowflake, TargetUsersJobStatusKind};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: community_invite <channel id> <role id> <users.csv>";
    let mut args = std::env::args().skip(1);
    let channel: Snowflake = args.next().ok_or(usage)?.parse()?;
    let role: Snowflake = args.next().ok_or(usage)?.parse()?;
    let csv = std::fs::read(args.next().ok_or(usage)?)?;

    // The client checks the file before sending too; checking here prints every bad line.
    let users = TargetUsers::from_csv(csv);
    match users.check() {
        Ok(ids) => println!("{} users may accept the invite", ids.len()),
        Err(e) => {
            for problem in e.problems() {
                eprintln!("{problem}");
            }
            return Err(e.into());
        }
    }

    let token = std::env::var("DISCORD_TOKEN").map_err(|_| "set DISCORD_TOKEN")?;
    let client = Client::new(Token::bot(token)?)?;
    let body = CreateGuildInviteRequest {
        max_age: 86_400.into(), // one day
        role_ids: vec![role].into(),
        unique: true.into(),
        ..Default::default()
    };
    let invite = match client
        .create_channel_invite(channel)
        .body(body)
        .target_users_file(users)
        .audit_log_reason("community invite for supporters")
        .await
    {
        Ok(Some(invite)) => invite,
        Ok(None) => return Err("Discord created the invite but sent no body".into()),
        Err(e) => {
            // Discord's own check of the file, line by line.
            if let Some(file) = e.api().and_then(|api| api.target_users_file_error()) {
                for problem in file.problems() {
                    eprintln!("Discord: {problem}");
                }
            }
            return Err(e.into());
        }
    };

    let job = client
        .wait_for_target_users_job(invite.code())
        .timeout(Duration::from_secs(120))
        .await?;
    match job.status {
        TargetUsersJobStatusKind::Completed => {
            println!("{} of {} users set", job.processed_users, job.total_users);
            println!("{}", invite.link());
            Ok(())
        }
        _ => Err(format!(
            "Discord could not process the list: {}",
            job.error_message
                .as_option()
                .map_or("no reason given", discord_invite::Text::as_str)
        )
        .into()),
    }
}
