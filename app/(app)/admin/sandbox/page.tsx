import { PageHeader } from "@/components/page-header";
import { FaultsForm } from "@/components/sandbox/faults-form";
import { ScenarioEventForm } from "@/components/sandbox/scenario-event-form";
import { getSandboxStatus } from "@/lib/data/sandbox";

export const metadata = { title: "Sandbox" };

export default async function SandboxPage() {
  const status = await getSandboxStatus();
  return (
    <>
      <PageHeader
        title="Sandbox controls"
        description={`The simulated AWS account: seed "${status.seed}", scenario "${status.scenario}", simulated now ${status.now.replace("T", " ").slice(0, 16)} UTC. Changes here are recorded in the audit log like any other.`}
      />
      <section aria-labelledby="events-heading" className="mb-8">
        <h2 id="events-heading" className="mb-1 text-lg font-semibold">
          Code-level fixes
        </h2>
        <p className="mb-3 max-w-3xl text-sm text-muted">
          No dashboard API makes these changes in real AWS: they are deployments of new code. Here they are scenario
          events that change the simulated traffic from the minute they are applied, and show as markers on the charts.
        </p>
        <div className="grid gap-3 xl:grid-cols-3">
          {status.events.map((event) => (
            <div key={event.name} className="card">
              <h3 className="font-semibold">{event.title}</h3>
              <p className="mt-1 mb-3 text-sm text-muted">{event.description}</p>
              {event.appliedTo.length > 0 ? (
                <ul className="mb-3 text-sm">
                  {event.appliedTo.map((applied) => (
                    <li key={`${applied.functionName}-${applied.at}`}>
                      Applied to <span className="font-mono">{applied.functionName}</span> at{" "}
                      <time dateTime={applied.at}>{applied.at.replace("T", " ").slice(0, 16)} UTC</time>
                    </li>
                  ))}
                </ul>
              ) : null}
              <ScenarioEventForm event={event.name} title={event.title} functions={status.functions} />
            </div>
          ))}
        </div>
      </section>
      <section aria-labelledby="faults-heading" className="card">
        <h2 id="faults-heading" className="mb-1 text-lg font-semibold">
          Faults on demand
        </h2>
        <p className="mb-3 text-sm text-muted">
          Make the simulated AWS throttle, fail or slow down, to see how Phoenix explains it. Applies to every API call
          until changed.
        </p>
        <FaultsForm current={status.faults} />
      </section>
    </>
  );
}
