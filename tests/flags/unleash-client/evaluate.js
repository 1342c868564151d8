// The real unleash-client Node SDK's answers, for launchkit's tests and its evaluation benchmark.
// It serves a features document on 127.0.0.1 as Unleash's server does, lets the SDK fetch it
// over HTTP like any application, then asks `isEnabled` and `getVariant`. The SDK is found
// through NODE_PATH (installed from this folder's package-lock.json).
//
//   node evaluate.js INPUT.json
//       INPUT.json: {"features": {Unleash's features document}, "flags": [names], "contexts": [...]}
//       prints [[{enabled, variant: {name, enabled, feature_enabled, payload}} per flag] per context]
//
// bench/flags requires it for withUnleash().
'use strict';

const fs = require('fs');
const http = require('http');
const { Unleash, InMemStorageProvider } = require('unleash-client');

function fail(message) {
    process.stderr.write(`evaluate.js: ${message}\n`);
    process.exit(3);
}

// Calls use(unleash) once the SDK has fetched `features`, writes what it returns to stdout as
// JSON, and stops the SDK and the server.
function withUnleash(features, use) {
    const body = JSON.stringify(features);
    const server = http.createServer((request, response) => {
        if (!request.url.startsWith('/api/client/features')) {
            response.writeHead(404).end();
            return;
        }
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    });
    server.listen(0, '127.0.0.1', () => {
        const unleash = new Unleash({
            appName: 'launchkit-check',
            url: `http://127.0.0.1:${server.address().port}/api/`,
            refreshInterval: 3600 * 1000, // one fetch: the document never changes
            disableMetrics: true,
            storageProvider: new InMemStorageProvider(),
            skipInstanceCountWarning: true,
        });
        unleash.on('error', (error) => fail(`the SDK reported: ${error.message}`));
        const timer = setTimeout(() => fail('the SDK did not synchronise within 30 s'), 30000);
        unleash.on('synchronized', () => {
            clearTimeout(timer);
            const output = use(unleash);
            unleash.destroy();
            server.close();
            process.stdout.write(JSON.stringify(output));
        });
    });
}

function answers(unleash, flags, contexts) {
    return contexts.map((context) =>
        flags.map((flag) => {
            const variant = unleash.getVariant(flag, context);
            return {
                enabled: unleash.isEnabled(flag, context),
                variant: {
                    name: variant.name,
                    enabled: variant.enabled,
                    feature_enabled: variant.feature_enabled,
                    payload: variant.payload ?? null,
                },
            };
        }),
    );
}

if (require.main === module) {
    const [inputPath] = process.argv.slice(2);
    if (!inputPath) fail('usage: evaluate.js INPUT.json');
    const input = JSON.parse(fs.readFileSync(inputPath, 'utf8'));
    withUnleash(input.features, (unleash) => answers(unleash, input.flags, input.contexts));
}

module.exports = { withUnleash, fail };
