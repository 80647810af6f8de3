//! Builds the console (`web/`) into OUT_DIR so the binary can embed it.
//!
//! `npm ci` runs only when `node_modules` is older than `package-lock.json`; the Vite build
//! runs whenever cargo reruns this script, which it does only when the console's inputs
//! change. Set `VOXDIAL_SKIP_CONSOLE=1` for a Rust-only build without Node.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

const INPUTS: &[&str] = &[
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let web = manifest.join("../../web");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("console");
    println!("cargo:rerun-if-env-changed=VOXDIAL_SKIP_CONSOLE");
    for input in INPUTS {
        let path = web.join(input);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    if std::fs::create_dir_all(&out).is_err() {
        panic!("cannot create {}", out.display());
    }
    if std::env::var_os("VOXDIAL_SKIP_CONSOLE").is_some() {
        return;
    }
    if !web.join("package.json").exists() {
        panic!("web/package.json is missing: the console cannot be built");
    }
    let installed = modified(&web.join("node_modules/.package-lock.json"));
    let locked = modified(&web.join("package-lock.json"));
    if installed.is_none() || installed < locked {
        npm(&web, &["ci", "--no-audit", "--no-fund"]);
    }
    let out_dir = out.display().to_string();
    npm(
        &web,
        &["run", "build", "--", "--outDir", &out_dir, "--emptyOutDir"],
    );
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn npm(web: &Path, args: &[&str]) {
    // Cargo's variables must not leak into npm (DEBUG, for one, turns on debug logs).
    let status = Command::new("npm")
        .args(args)
        .current_dir(web)
        .env_remove("DEBUG")
        .env_remove("HOST")
        .env_remove("TARGET")
        .env_remove("PROFILE")
        .env_remove("OPT_LEVEL")
        .stdout(Stdio::from(std::io::stderr()))
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => panic!("npm {} failed with {status}", args.join(" ")),
        Err(error) => panic!("cannot run npm (is Node.js installed?): {error}"),
    }
}
