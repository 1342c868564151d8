// Starts Unleash's own server for bench/serve, configured by the environment the run script sets
// (DATABASE_URL, HTTP_HOST, HTTP_PORT, INIT_ADMIN_API_TOKENS, INIT_FRONTEND_API_TOKENS, ...).
'use strict';
const unleash = require('unleash-server');

unleash
    .start({ frontendApi: { refreshIntervalInMs: 1000 }, logLevel: 'warn' })
    .catch((error) => {
        process.stderr.write(`unleash-server: ${error.stack || error}\n`);
        process.exit(3);
    });
