fn main() {} // placeholder: the address helper replaces this
