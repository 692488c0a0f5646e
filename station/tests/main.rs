//! The station's integration tests in one binary: the app core driven with simulated devices and
//! a central on loopback, the screens through egui_kittest, the command line, the checks against
//! their reference sets, the wire format against its golden files, the import graph of its sources.

// Support shared by the tests below.
mod app_harness;
mod bozorth_baseline;
mod cli_station;
mod counter_steps;
mod local_station_env;
mod locale_files;
mod quality_support;
mod screen_texts;
mod signed_cli;
mod tls_support;
mod token_support;

// The tests, one file per subject.
mod abandon_in_view;
mod accounts_keyed;
mod accounts_missing;
mod audit_chain;
mod audit_cli;
mod biometric_cli;
mod calibration_devices;
mod calibration_quality;
mod config_refused;
mod counter_day;
mod counter_day_english;
mod counter_flow;
mod counter_photo_incomplete;
mod counter_pictures;
mod counter_texts;
mod discovery_cli;
mod docs_commands;
mod files_private;
mod finger_kept;
mod fuzz_seeds;
mod handover_app_flow;
mod handover_app_texts;
mod handover_app_ui;
mod image_inputs;
mod import_graph;
mod matching_accuracy;
mod matching_cli;
mod matching_iso_record;
mod operators_accounts;
mod outbox_cli;
mod outbox_purge_proof;
mod outbox_review_cli;
mod photo_wait;
mod physical_manifest;
mod pre_request_in_view;
mod provision_cli;
mod quality_cli;
mod quality_dump;
mod quality_eval_set;
mod quality_inputs;
mod quality_make_degraded;
mod quality_reference;
mod receipt_printer;
mod receipt_slip;
mod retention;
mod same_finger_flow;
mod supervisor_review;
mod technician_screens;
mod token_station;
mod ui_enrolment;
mod ui_screens;
mod ui_supervisor_review;
mod wire_golden;
