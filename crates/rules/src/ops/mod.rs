//! Rules about day-to-day operations: image and container sprawl (CIS
//! section 6).

mod container_sprawl;
mod image_sprawl;

use crate::rule::Rule;

pub(crate) static RULES: &[&dyn Rule] = &[
    &image_sprawl::ImageSprawl,
    &container_sprawl::ContainerSprawl,
];
