// The unleash-client Node SDK's side of the evaluation benchmark: `isEnabled` + `getVariant` of
// one flag for N generated contexts, the same contexts eval_bench.cpp generates.
//   NODE_PATH=…/node_modules node sdk_rate.js FEATURES.json FLAG N
// prints {"evaluations", "seconds", "variants": {name: count}}
'use strict';

const fs = require('fs');
const { withUnleash, fail } = require('../../tests/flags/unleash-client/evaluate.js');

const regions = ['eu-west', 'eu-north', 'eu-south', 'us-east', 'us-west', 'ap-south', 'EU-WEST'];
const versions = ['2.3.0', '2.3.1', '2.4.0-beta.1', '2.3.0-rc.1', '1.9.9', '10.0.0', '2.3', 'v2.5.0',
    '2.10.0+build', '3.0.0'];
const plans = ['free', 'pro', 'team'];
const domains = ['@example.com', '@EXAMPLE.COM', '@example.org', '@shop.example.com', '.example.com'];

// Context i, as eval_bench.cpp's bench_context(i) builds it.
function benchContext(i) {
    const context = {
        sessionId: `s-${(i * 7919) % 1000003}`,
        remoteAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        properties: {
            region: regions[i % 7],
            appVersion: versions[Math.floor(i / 7) % 10],
            plan: plans[Math.floor(i / 70) % 3],
            email: `user${i % 1000}${domains[Math.floor(i / 3) % 5]}`,
            age: String(10 + ((i * 31) % 71)),
        },
    };
    if (i % 10 !== 0) context.userId = `u-${i}`;
    return context;
}

const [featuresPath, flag, countText] = process.argv.slice(2);
const count = Number(countText);
if (!featuresPath || !flag || !(count > 0)) fail('usage: sdk_rate.js FEATURES.json FLAG N');
const features = JSON.parse(fs.readFileSync(featuresPath, 'utf8'));
const contexts = Array.from({ length: count }, (_, i) => benchContext(i));

withUnleash(features, (unleash) => {
    const variants = {};
    let enabled = 0;
    const start = process.hrtime.bigint();
    for (const context of contexts) {
        if (unleash.isEnabled(flag, context)) ++enabled;
        const name = unleash.getVariant(flag, context).name;
        variants[name] = (variants[name] || 0) + 1;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { evaluations: count, seconds, enabled, variants };
});
