//! A bounded load generator for a running server on this machine.
//!
//! `cargo run --release --example load -- URL [REQUESTS] [CONCURRENCY]`, with the API key in
//! `EVO_LOAD_API_KEY`. It creates integrations, reads them back one by one and lists them in
//! pages, then prints the throughput and latency of each phase. It refuses any URL that is not
//! on the loopback interface, and stops after REQUESTS requests per phase or 120 seconds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::sync::Semaphore;

const PHASE_TIME_LIMIT: Duration = Duration::from_secs(120);

struct Phase {
    name: &'static str,
    latencies: Vec<Duration>,
    failures: usize,
    elapsed: Duration,
}

impl Phase {
    fn report(&mut self) {
        self.latencies.sort_unstable();
        let count = self.latencies.len();
        let percentile = |p: f64| {
            let index = ((count as f64 - 1.0) * p).round() as usize;
            self.latencies
                .get(index)
                .map_or(0.0, |latency| latency.as_secs_f64() * 1000.0)
        };
        println!(
            "{:<18} {:>6} requests {:>4} failed {:>9.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
            self.name,
            count,
            self.failures,
            count as f64 / self.elapsed.as_secs_f64(),
            percentile(0.50),
            percentile(0.99),
            percentile(1.0),
        );
    }
}

fn is_loopback(url: &str) -> bool {
    let rest = url.strip_prefix("http://").unwrap_or("");
    ["127.", "localhost:", "localhost/", "[::1]"]
        .iter()
        .any(|prefix| rest.starts_with(prefix))
}

/// Sends `count` requests built by `request`, `concurrency` at a time.
async fn run_phase(
    name: &'static str,
    count: usize,
    concurrency: usize,
    request: impl Fn(usize) -> reqwest::RequestBuilder,
) -> (Phase, Vec<Value>) {
    let semaphore = Arc::new(Semaphore::new(concurrency));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(count);
    for index in 0..count {
        if started.elapsed() > PHASE_TIME_LIMIT {
            break;
        }
        let permit = Arc::clone(&semaphore)
            .acquire_owned()
            .await
            .expect("the semaphore stays open");
        let builder = request(index);
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let outcome = match builder.send().await {
                Ok(response) if response.status().is_success() => {
                    response.json::<Value>().await.ok()
                }
                _ => None,
            };
            drop(permit);
            (sent.elapsed(), outcome)
        }));
    }
    let mut phase = Phase {
        name,
        latencies: Vec::with_capacity(tasks.len()),
        failures: 0,
        elapsed: Duration::ZERO,
    };
    let mut bodies = Vec::new();
    for task in tasks {
        let (latency, outcome) = task.await.expect("the request task finishes");
        phase.latencies.push(latency);
        match outcome {
            Some(body) => bodies.push(body),
            None => phase.failures += 1,
        }
    }
    phase.elapsed = started.elapsed();
    (phase, bodies)
}

#[tokio::main]
async fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let Some(base) = arguments.first().cloned() else {
        eprintln!("usage: load URL [REQUESTS] [CONCURRENCY]  (API key in EVO_LOAD_API_KEY)");
        std::process::exit(2);
    };
    if !is_loopback(&base) {
        eprintln!("refusing {base}: the load generator only targets http:// loopback addresses");
        std::process::exit(2);
    }
    let requests: usize = arguments
        .get(1)
        .and_then(|text| text.parse().ok())
        .unwrap_or(2000);
    let concurrency: usize = arguments
        .get(2)
        .and_then(|text| text.parse().ok())
        .unwrap_or(16);
    let key = std::env::var("EVO_LOAD_API_KEY").unwrap_or_else(|_| {
        eprintln!("set EVO_LOAD_API_KEY to the server's API key");
        std::process::exit(2);
    });
    let client = reqwest::Client::new();
    println!("{requests} requests per phase, {concurrency} at a time, against {base}");

    let (mut create, created) = run_phase("NewIntegration", requests, concurrency, |index| {
        client
            .post(format!("{base}/integrations"))
            .bearer_auth(&key)
            .json(&json!({ "type": "HostedSuite", "name": format!("Load {index}") }))
    })
    .await;
    create.report();

    let ids: Vec<String> = created
        .iter()
        .filter_map(|body| body["id"].as_str().map(str::to_owned))
        .collect();
    if ids.is_empty() {
        eprintln!("no integration was created; check the URL and the API key");
        std::process::exit(1);
    }
    let (mut get, _) = run_phase("GetIntegration", requests, concurrency, |index| {
        client
            .get(format!("{base}/integrations/{}", ids[index % ids.len()]))
            .bearer_auth(&key)
    })
    .await;
    get.report();

    let pages = ids.len().div_ceil(25).max(1);
    let (mut list, _) = run_phase("ListIntegrations", requests, concurrency, |index| {
        client
            .get(format!(
                "{base}/integrations?countPerPage=25&page={}",
                index % pages
            ))
            .bearer_auth(&key)
    })
    .await;
    list.report();
}
