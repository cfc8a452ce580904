// Runs each case of the JSON array on stdin through @cloud-copilot/iam-simulate, the independent implementation the
// differential test compares the engine with, and writes one result per case: its overall result or its errors.
// The package is installed at test time next to this script's copy, never vendored.
import { runSimulation } from '@cloud-copilot/iam-simulate'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'))
const results = []
for (const c of cases) {
  const simulation = {
    identityPolicies: c.policies.map((policy, i) => ({ name: `p${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action: c.action,
      principal: c.principal,
      resource: { accountId: c.account, resource: c.resource },
      contextVariables: c.context
    }
  }
  try {
    const response = await runSimulation(simulation, {})
    results.push(response.resultType === 'error' ? { error: JSON.stringify(response.errors) } : { result: response.overallResult })
  } catch (e) {
    results.push({ error: String(e) })
  }
}
process.stdout.write(JSON.stringify(results))
