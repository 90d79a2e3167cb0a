//! Address F1 on ../shared/data/dev with GOLD persons (mentions computed from the article
//! when the gold has none). `cargo run -p kiji-address --example dev_eval [-- -v]`
#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let stage = kiji_address::AddressStage::new().expect("gazetteer");
    let s = common::eval_dev(&stage);
    if std::env::args().any(|a| a == "-v") {
        print!("{}", s.report);
    }
    for (name, p) in [("headquarters_locations", s.hq), ("residences", s.res), ("physical_crime_occured_locations", s.crime), ("police_departments", s.police)] {
        println!("{name:34} P {:.3} R {:.3} F1 {:.3}  (tp {} fp {} fn {})", p.p(), p.r(), p.f1(), p.tp, p.fp, p.fn_);
    }
}
