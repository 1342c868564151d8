-- One OFREP evaluation of new-pricing per request, for a context its strategies turn on.
wrk.method = "POST"
wrk.body = '{"context": {"targetingKey": "u-1", "plan": "pro", "region": "eu-west", "appVersion": "2.4.0"}}'
wrk.headers["Content-Type"] = "application/json"
