//! The cost of the metadata routes: describing every DTO into the registry (once, at start-up)
//! and rendering the largest operation page, which the server does on every request.

use criterion::{criterion_group, criterion_main, Criterion};
use evo_integrations::api::{host, xml_contracts};
use servicestack::meta::pages::{operation_page, PageContext};
use servicestack::{Format, HostConfig};

fn metadata_benchmarks(criterion: &mut Criterion) {
    criterion.bench_function("registry: describe every operation", |bench| {
        bench.iter(|| host(HostConfig::default()))
    });

    let host = host(HostConfig::default());
    let registry = host.registry();
    let operation = registry.operation("NewIntegration").expect("registered");
    let contracts = xml_contracts();
    let context = PageContext {
        service_name: "Evo Voice",
        host: "localhost",
        xml_contracts: &contracts,
    };
    for format in [Format::Jsv, Format::Xml] {
        let name = format!("page: NewIntegration in {format}");
        criterion.bench_function(&name, |bench| {
            bench.iter(|| operation_page(registry, operation, format, &context))
        });
    }
}

criterion_group!(benches, metadata_benchmarks);
criterion_main!(benches);
