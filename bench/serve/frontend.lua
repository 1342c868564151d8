-- Unleash's frontend API: the same flag evaluated for the same context per request.
wrk.method = "POST"
wrk.body = '{"context": {"userId": "u-1", "properties": {"plan": "pro", "region": "eu-west", "appVersion": "2.4.0"}}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("UNLEASH_FRONTEND_TOKEN")
