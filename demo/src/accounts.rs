//! The demo's accounts and pre-request numbers: created on the demo station at its first start,
//! and shown under the app's sign-in form so a newcomer can try it at once. The numbers come from
//! the reference central's demo catalogue (central/demo/prerequests.json).

use anyhow::Context;
use station::{
    config::StationConfig,
    operators::{LockoutPolicy, Operators, Role},
    outbox::now_ms,
    ui::{SignInHints, Wording},
};

/// The supervisor's account: (name, PIN).
pub const SUPERVISOR: (&str, &str) = ("superviseur", "654321");
/// The clerk's account: (name, PIN).
pub const CLERK: (&str, &str) = ("agent", "123456");

/// Demo pre-request numbers and what each shows, in French and English.
pub const PRE_REQUESTS: [(&str, &str, &str); 6] = [
    ("DEMO000001", "Adulte, carte d'identité", "Adult, ID card"),
    // The demo's stamps (central/demo/tax_stamps.json) say their value in their first digits.
    (
        "DEMO000002",
        "Adulte, passeport (timbre 0860 0000 0000 0001)",
        "Adult, passport (stamp 0860 0000 0000 0001)",
    ),
    (
        "DEMO000003",
        "Enfant de moins de 12 ans (sans empreintes)",
        "Child under 12 (no fingerprints)",
    ),
    (
        "5864SL1OQG",
        "Déjà utilisée (refusée)",
        "Already used (refused)",
    ),
    ("4P6KYQJR06", "Expirée (refusée)", "Expired (refused)"),
    (
        "P9QELMCLRP",
        "Non reconnue (refusée)",
        "Not recognised (refused)",
    ),
];

/// What the sign-in screen shows under its form in the demo.
pub fn sign_in_hints() -> SignInHints {
    let wording = |fr: &str, en: &str| Wording {
        fr: fr.to_owned(),
        en: en.to_owned(),
    };
    let mut rows = vec![
        (
            wording("Compte agent", "Clerk account"),
            format!("{} / {}", CLERK.0, CLERK.1),
        ),
        (
            wording("Compte superviseur", "Supervisor account"),
            format!("{} / {}", SUPERVISOR.0, SUPERVISOR.1),
        ),
    ];
    rows.extend(
        PRE_REQUESTS
            .iter()
            .map(|(number, fr, en)| (wording(fr, en), (*number).to_owned())),
    );
    SignInHints {
        title: wording(
            "Démonstration : comptes et numéros de pré-demande",
            "Demo: accounts and pre-request numbers",
        ),
        rows,
    }
}

/// Creates the demo's accounts on a station that has none yet.
pub fn create(config: &StationConfig) -> anyhow::Result<()> {
    let operators = Operators::open_station(
        config,
        LockoutPolicy {
            max_failures: config.counter.lockout_failures.max(1),
            lockout_ms: config.counter.lockout_minutes.saturating_mul(60_000),
        },
    )
    .context("comptes de la démonstration")?;
    if !operators
        .needs_first_supervisor()
        .context("comptes de la démonstration")?
    {
        return Ok(());
    }
    let now = now_ms();
    let supervisor = operators
        .create_first_supervisor(SUPERVISOR.0, SUPERVISOR.1, now)
        .context("compte superviseur de démonstration")?;
    operators
        .create(&supervisor, CLERK.0, Role::Clerk, CLERK.1, now)
        .context("compte agent de démonstration")?;
    tracing::info!("demo accounts created");
    Ok(())
}
