//! `zhurnal`: the electronic school journal and diary, in one binary.
//!
//! Run `zhurnal demo` to try it with a demo school, `zhurnal serve` to run it for real.

fn main() -> anyhow::Result<()> {
    zhurnal::main()
}
