//! The demo's accounts and pre-request numbers, shown on the sign-in screen when
//! `ui.demo_hints` is set. `station demo` creates these accounts; the numbers come from the
//! reference central's demo catalogue (central/demo/prerequests.json).

/// Demo accounts: (name, PIN, role shown).
pub const DEMO_ACCOUNTS: [(&str, &str, &str); 2] = [
    ("agent", "123456", "agent"),
    ("superviseur", "654321", "superviseur"),
];

/// Demo pre-request numbers and what each shows (key of the description in `ui.yml`).
pub const DEMO_PRE_REQUESTS: [(&str, &str); 6] = [
    ("DEMO000001", "ui.demo.adult_cni"),
    ("DEMO000002", "ui.demo.adult_passport"),
    ("DEMO000003", "ui.demo.child"),
    ("5864SL1OQG", "ui.demo.consumed"),
    ("4P6KYQJR06", "ui.demo.expired"),
    ("P9QELMCLRP", "ui.demo.declared"),
];
