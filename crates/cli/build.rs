//! With the `torch` feature, bake the LibTorch library directory into the
//! binary's rpath so `pipeline-run` finds libtorch without LD_LIBRARY_PATH.
fn main() {
    if let Ok(lib) = std::env::var("DEP_TCH_LIBTORCH_LIB") {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{lib}");
    }
}
