//! The OpenAPI document of `/api/v1` validated (openapi-spec-validator), then a fuzz run of
//! the API from it: schemathesis (both from PyPI, in the clients' virtual environment)
//! generates requests from every operation's schema — valid, boundary and invalid — and
//! sends them with the tokens of a deputy director, a teacher and a parent. Whatever it
//! sends, the server must never answer 5xx.

use crate::helpers::{TestApp, clients_python, unique};
use crate::on_both;
use std::process::Command;

async fn no_generated_request_breaks_the_server(app: &TestApp) {
    let Some(python) = clients_python() else {
        return;
    };
    // A fresh directory for the document and the fuzzer's example database.
    let work = std::env::temp_dir().join(unique("zhurnal_fuzz"));
    std::fs::create_dir_all(&work).unwrap();
    // The document itself is valid OpenAPI 3.
    let doc = app
        .client()
        .get(app.at("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let file = work.join("openapi.json");
    std::fs::write(&file, doc).unwrap();
    let mut validate = Command::new(python.with_file_name("openapi-spec-validator"));
    validate.arg(&file);
    let out = tokio::task::spawn_blocking(move || validate.output())
        .await
        .unwrap()
        .expect("openapi-spec-validator runs");
    assert!(
        out.status.success(),
        "the OpenAPI document is not valid: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let st = python.with_file_name("st");
    for login in ["deputy", "teacher", "parent"] {
        let token = app.token(login).await;
        let mut cmd = Command::new(&st);
        cmd.current_dir(&work)
            .env("NO_COLOR", "1")
            .arg("run")
            .arg(app.at("/api/v1/openapi.json"))
            .args(["--url", app.at("").trim_end_matches('/')])
            .args(["-H", &format!("Authorization: Bearer {token}")])
            .args(["--checks", "not_a_server_error"])
            .args(["--max-examples", "12", "--seed", "20261128", "--no-color"])
            // Revoking the token would end the run's session half-way.
            .args(["--exclude-path", "/api/v1/auth/revoke"]);
        let out = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .unwrap()
            .expect("schemathesis runs");
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{login}: a generated request broke the server:\n{report}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(report.contains("passed"), "{login}: {report}");
        assert!(!report.contains("Tested: 0"), "{login}: {report}");
    }
    let _ = std::fs::remove_dir_all(&work);
}
on_both!(openapi_fuzz, no_generated_request_breaks_the_server);
