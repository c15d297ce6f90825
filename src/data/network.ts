/**
 * Generates a demo fulfillment network from a seed and the demand of a replay.
 *
 * Nodes sit in real cities, weighted to where the orders go (the UCI retailer is UK-based and
 * about 90% of its orders are British):
 * - distribution centers: two in Great Britain (`uk-dc`) and one in the continental European
 *   country with the most orders (`eu-dc`), in cities drawn among the largest by population;
 * - 15 to 25 stores: about 70% in Great Britain (`uk-stores`), the rest in the other European
 *   countries with orders, most orders first, at least one store each while stores last
 *   (`eu-stores` and `xx-stores` with the country code);
 * - 3 to 5 dropship vendors (`dropship`), mostly British, each carrying a subset of SKUs.
 * Daily capacities scale with the average orders per day of the demand; cut-offs and handling
 * costs are drawn from fixed ranges. `networkInventory.ts` describes the stock model.
 *
 * The same seed and demand always give the same network, because every draw comes from
 * mulberry32 streams derived from the seed, and SKUs and countries are visited in sorted order.
 */
import type { FulfillmentNodeInput } from '../domain/node.ts';
import type { Demand } from './demand.ts';
import { largestCities, type City } from './geo.ts';
import { generateInventory, type NetworkNode } from './networkInventory.ts';
import { hashString, mulberry32, randomBetween, randomInt, weightedIndex, type Random } from './prng.ts';

export { computeDemand, type Demand } from './demand.ts';

/** Options of `generateNetwork`. */
export interface NetworkOptions {
  /** Any integer; the same seed and demand give the same network. */
  seed: number;
  demand: Demand;
}

/** Generated nodes and their stock: units per SKU per node id (SKUs not carried are absent). */
export interface GeneratedNetwork {
  nodes: FulfillmentNodeInput[];
  inventory: Record<string, Record<string, number>>;
}

/** European countries other than Great Britain where stores and the continental DC may sit. */
const EUROPEAN_COUNTRIES = ['IE', 'FR', 'DE', 'NL', 'BE', 'ES', 'PT', 'IT', 'CH', 'AT', 'DK', 'SE', 'NO', 'FI', 'PL', 'LT', 'CZ', 'GR'];
const HOME_COUNTRY = 'GB';
/** Continental country used when the demand has no order to continental Europe. */
const DEFAULT_CONTINENTAL_COUNTRY = 'DE';
/** Share of stores placed in the home country. */
const HOME_STORE_SHARE = 0.7;
/** Chance that a dropship vendor is in the home country rather than the continent. */
const HOME_DROPSHIP_CHANCE = 0.75;
/** Cities considered per country, largest first. */
const CANDIDATE_CITIES = 40;

/** Picks `count` distinct cities among the largest of `country`, weighted by population. */
function pickCities(random: Random, country: string, count: number): City[] {
  const candidates = largestCities(country, Math.max(CANDIDATE_CITIES, count));
  if (candidates.length < count) {
    throw new Error(`generateNetwork: country "${country}" has ${candidates.length} known cities; expected at least ${count}`);
  }

  const weights = candidates.map((city) => Math.max(city.population, 1));
  const picked: City[] = [];
  while (picked.length < count) {
    const index = weightedIndex(weights, random());
    picked.push(candidates[index] as City);
    weights[index] = 0;
  }
  return picked;
}

function pickOne<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** European countries with orders, most orders first (ties by code). */
function rankEuropeanCountries(demand: Demand): string[] {
  return EUROPEAN_COUNTRIES.filter((code) => (demand.countryOrders.get(code) ?? 0) > 0).sort(
    (a, b) => (demand.countryOrders.get(b) ?? 0) - (demand.countryOrders.get(a) ?? 0) || (a < b ? -1 : 1),
  );
}

/** Splits `count` stores over the ranked countries: one each first, the rest by orders. */
function spreadStores(count: number, ranked: readonly string[], demand: Demand): Map<string, number> {
  const perCountry = new Map<string, number>();
  const countries = ranked.slice(0, count);
  for (const code of countries) perCountry.set(code, 1);

  const totalOrders = countries.reduce((sum, code) => sum + (demand.countryOrders.get(code) ?? 0), 0);
  let left = count - countries.length;
  for (const code of countries) {
    if (left <= 0) break;
    const extra = Math.min(left, Math.floor(((count - countries.length) * (demand.countryOrders.get(code) ?? 0)) / totalOrders));
    perCountry.set(code, (perCountry.get(code) ?? 0) + extra);
    left -= extra;
  }
  // Rounding down leaves a few stores over: they go to the countries with the most orders.
  for (let index = 0; left > 0 && countries.length > 0; index++, left--) {
    const code = countries[index % countries.length] as string;
    perCountry.set(code, (perCountry.get(code) ?? 0) + 1);
  }
  return perCountry;
}

function makeNode(
  city: City,
  fields: Pick<FulfillmentNodeInput, 'nodeId' | 'name' | 'type' | 'dailyCapacity' | 'cutoffLocal' | 'handlingCostMinor' | 'groups'>,
): FulfillmentNodeInput {
  return { ...fields, city: city.name, country: city.country, lat: city.lat, lon: city.lon, timeZone: city.timeZone };
}

function placeNodes(random: Random, demand: Demand): NetworkNode[] {
  const ordersPerDay = demand.orders / Math.max(1, demand.days);
  const capacity = (min: number, max: number, floor: number) => Math.max(floor, Math.ceil(ordersPerDay * randomBetween(random, min, max)));
  const ranked = rankEuropeanCountries(demand);
  const continental = ranked.find((code) => code !== 'IE') ?? DEFAULT_CONTINENTAL_COUNTRY;
  const nodes: NetworkNode[] = [];

  const [mainCity, secondCity] = pickCities(random, HOME_COUNTRY, 2) as [City, City];
  const [euCity] = pickCities(random, continental, 1) as [City];
  const dcs: [City, string, number][] = [
    [mainCity, 'uk-dc', capacity(0.6, 0.8, 20)],
    [secondCity, 'uk-dc', capacity(0.3, 0.45, 10)],
    [euCity, 'eu-dc', capacity(0.1, 0.2, 10)],
  ];
  for (const [index, [city, group, dailyCapacity]] of dcs.entries()) {
    const node = makeNode(city, {
      nodeId: `dc-${city.country.toLowerCase()}-${index + 1}`,
      name: `${city.name} DC`,
      type: 'DC',
      dailyCapacity,
      cutoffLocal: pickOne(random, ['15:00', '16:00', '17:00']),
      handlingCostMinor: randomInt(random, 250, 400),
      groups: ['dc', group],
    });
    nodes.push({ node, role: index === 0 ? 'main-dc' : 'dc' });
  }

  const storeCount = randomInt(random, 15, 25);
  const homeStores = ranked.length === 0 ? storeCount : Math.round(storeCount * HOME_STORE_SHARE);
  const storesByCountry = new Map([[HOME_COUNTRY, homeStores], ...spreadStores(storeCount - homeStores, ranked, demand)]);
  for (const [country, count] of storesByCountry) {
    const groups = country === HOME_COUNTRY ? ['store', 'uk-stores'] : ['store', 'eu-stores', `${country.toLowerCase()}-stores`];
    for (const [index, city] of pickCities(random, country, count).entries()) {
      const node = makeNode(city, {
        nodeId: `store-${country.toLowerCase()}-${String(index + 1).padStart(2, '0')}`,
        name: `${city.name} store`,
        type: 'STORE',
        dailyCapacity: capacity(0.03, 0.08, 3),
        cutoffLocal: pickOne(random, ['12:00', '13:00', '14:00']),
        handlingCostMinor: randomInt(random, 450, 700),
        groups,
      });
      nodes.push({ node, role: 'store' });
    }
  }

  const vendorCount = randomInt(random, 3, 5);
  for (let number = 1; number <= vendorCount; number++) {
    const country = random() < HOME_DROPSHIP_CHANCE ? HOME_COUNTRY : continental;
    const [city] = pickCities(random, country, 1) as [City];
    const node = makeNode(city, {
      nodeId: `dropship-${String(number).padStart(2, '0')}`,
      name: `Dropship vendor ${number} (${city.name})`,
      type: 'DROPSHIP',
      dailyCapacity: capacity(0.1, 0.25, 5),
      cutoffLocal: pickOne(random, ['11:00', '12:00', '14:00']),
      handlingCostMinor: randomInt(random, 300, 550),
      groups: ['dropship'],
    });
    nodes.push({ node, role: 'dropship' });
  }
  return nodes;
}

/**
 * Generates fulfillment nodes in real cities and their stock per SKU from a seed and the
 * demand of a replay (see the file header for the model).
 */
export function generateNetwork(options: NetworkOptions): GeneratedNetwork {
  const { seed, demand } = options;
  if (!Number.isInteger(seed)) throw new Error(`generateNetwork: seed ${seed} is invalid; expected an integer`);
  if (demand.skuUnits.size === 0) throw new Error('generateNetwork: demand has no SKU; expected the demand of at least one order line');

  const placed = placeNodes(mulberry32(hashString(`${seed}:nodes`)), demand);
  const inventory = generateInventory(mulberry32(hashString(`${seed}:inventory`)), placed, demand.skuUnits);
  return { nodes: placed.map((entry) => entry.node), inventory };
}
