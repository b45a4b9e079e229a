//! Generates the models and endpoint methods from `schema/` into `OUT_DIR`.
//! The same function produces the committed copy in `generated/` (see tests/generated.rs).

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=schema");
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let files = match codegen::generate(Path::new("schema")) {
        Ok(files) => files,
        Err(e) => {
            // A readable message instead of a panic backtrace.
            eprintln!("error: generating code from schema/ failed:\n{e}");
            std::process::exit(1);
        }
    };
    for file in files {
        let path = Path::new(&out_dir).join(&file.name);
        if let Err(e) = std::fs::write(&path, file.contents) {
            eprintln!("error: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
    }
}
