// The zone families: what is served now (count, SOA serial and records per zone),
// read from the zone table at each scrape.
import type { Registry } from 'prom-client';
import type { ZoneListSource } from './metric-sources.js';
import { registerPulled } from './pulled-metric.js';

/** Registers mcns_zones, mcns_zone_serial and mcns_zone_records over `zones`. */
export function registerZoneMetrics(registry: Registry, zones: ZoneListSource): void {
  registerPulled(registry, 'mcns_zones', 'Zones served now.', 'gauge', (out) => {
    out.push({ labels: {}, value: [...zones()].length });
  });
  registerPulled(registry, 'mcns_zone_serial', 'SOA serial of the version of each zone being served.', 'gauge', (out) => {
    for (const z of zones()) out.push({ labels: { zone: z.zone }, value: z.serial });
  });
  registerPulled(registry, 'mcns_zone_records', 'Records (not RRsets) in the version of each zone being served.', 'gauge', (out) => {
    for (const z of zones()) out.push({ labels: { zone: z.zone }, value: z.records });
  });
}
