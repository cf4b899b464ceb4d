fn main() {
    println!("stembus");
}
