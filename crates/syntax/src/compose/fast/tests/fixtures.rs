//! The compose texts of the crate's other tests, through the differential
//! check.

#[test]
fn realistic_fixture_is_read_fast() {
    let text = include_str!("../../fixtures/realistic.yml");
    super::accepts(text);
}

#[test]
#[ignore = "debugging aid"]
fn first_line_given_up() {
    let text = std::fs::read_to_string("/tmp/bisect.yml").unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut accepted_once = false;
    for n in 1..=lines.len() {
        let prefix: String = lines[..n].concat();
        let slow_ok =
            crate::compose::load::load_saphyr(&crate::compose::positions::Positions::new(&prefix))
                .1
                .is_empty();
        let fast = super::super::load(&prefix).is_some();
        accepted_once |= fast;
        if slow_ok && !fast && accepted_once {
            println!("gives up at line {n}: {:?}", lines[n - 1]);
            return;
        }
    }
}
