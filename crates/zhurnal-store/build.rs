fn main() {
    // Embedded migrations: rebuild when one is added or changed.
    println!("cargo:rerun-if-changed=migrations");
}
