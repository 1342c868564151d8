// A real OpenFeature client (the Node server SDK with the OFREP provider, neither written here)
// asking launchkit's flag server: what an application using OpenFeature gets.
//
//   node evaluate.js details BASE_URL REQUESTS.json
//       REQUESTS.json: [{"flag", "type": "boolean"|"string"|"number"|"object", "default",
//       "context"}]; prints [{value, reason, variant, errorCode}] in order
//   node evaluate.js pause-and-watch BASE_URL FLAG COMMAND.json
//       evaluates FLAG (boolean, default true) until it is true, runs COMMAND.json's argv (no
//       shell), then evaluates every 10 ms until it is false: prints {"before", "after",
//       "milliseconds"} (from the command's end to the first false)
'use strict';

const fs = require('fs');
const { execFileSync } = require('child_process');
const { OpenFeature } = require('@openfeature/server-sdk');
const { OFREPProvider } = require('@openfeature/ofrep-provider');

function fail(message) {
    process.stderr.write(`evaluate.js: ${message}\n`);
    process.exit(3);
}

async function details(client, request) {
    const ask = {
        boolean: client.getBooleanDetails,
        string: client.getStringDetails,
        number: client.getNumberDetails,
        object: client.getObjectDetails,
    }[request.type];
    if (!ask) fail(`unknown type ${request.type}`);
    const answer = await ask.call(client, request.flag, request.default, request.context || {});
    return {
        value: answer.value,
        reason: answer.reason ?? null,
        variant: answer.variant ?? null,
        errorCode: answer.errorCode ?? null,
    };
}

async function main() {
    const [mode, baseUrl, ...rest] = process.argv.slice(2);
    await OpenFeature.setProviderAndWait(new OFREPProvider({ baseUrl }));
    const client = OpenFeature.getClient();
    let output;
    if (mode === 'details') {
        const requests = JSON.parse(fs.readFileSync(rest[0], 'utf8'));
        output = [];
        for (const request of requests) output.push(await details(client, request));
    } else if (mode === 'pause-and-watch') {
        const [flag, commandPath] = rest;
        const ask = () => client.getBooleanValue(flag, true, {});
        const before = await ask();
        const [program, ...argv] = JSON.parse(fs.readFileSync(commandPath, 'utf8'));
        execFileSync(program, argv, { stdio: 'ignore' });
        const changed = Date.now();
        let after = await ask();
        while (after !== false && Date.now() - changed < 5000) {
            await new Promise((resolve) => setTimeout(resolve, 10));
            after = await ask();
        }
        output = { before, after, milliseconds: Date.now() - changed };
    } else {
        fail('usage: evaluate.js details|pause-and-watch BASE_URL ...');
    }
    await OpenFeature.close();
    process.stdout.write(JSON.stringify(output));
}

main().catch((error) => fail(error.stack || String(error)));
