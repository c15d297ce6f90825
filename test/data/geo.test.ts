import { describe, expect, it } from 'vitest';
import { assignCity, geocodeCity, greatCircleKm, largestCities } from '../../src/data/geo.ts';

describe('assignCity', () => {
  it('returns the same city for the same key', () => {
    const first = assignCity('GB', '17850');
    expect(assignCity('GB', '17850')).toEqual(first);
    expect(assignCity('gb', '17850')).toEqual(first);
  });

  it('returns a city of the requested country', () => {
    for (const country of ['GB', 'FR', 'JE', 'JP', 'BH']) {
      const city = assignCity(country, 'customer-1');
      expect(city.country).toBe(country);
      expect(city.timeZone).toMatch(/^[A-Za-z_]+\/[A-Za-z_]+/);
    }
  });

  it('spreads keys over several cities', () => {
    const names = new Set<string>();
    for (let key = 0; key < 200; key++) names.add(assignCity('GB', String(key)).name);
    expect(names.size).toBeGreaterThan(50);
  });

  it('gives big cities more keys', () => {
    const counts = new Map<string, number>();
    for (let key = 0; key < 5000; key++) {
      const name = assignCity('GB', `key-${key}`).name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const london = counts.get('London') ?? 0;
    const busiest = Math.max(...counts.values());
    expect(london).toBe(busiest);
    // London has about 12% of the population the package lists for GB: some 590 of 5,000 keys.
    expect(london).toBeGreaterThan(300);
    expect(london).toBeGreaterThan((counts.get('Birmingham') ?? 0) * 3);
  });

  it('rejects an unknown country', () => {
    expect(() => assignCity('XX', '1')).toThrow(/no city known for country "XX"/);
  });
});

describe('geocodeCity', () => {
  it('finds a city ignoring case and accents', () => {
    expect(geocodeCity('DE', 'koln')?.name).toBe('Köln');
    expect(geocodeCity('FR', 'PARIS')?.timeZone).toBe('Europe/Paris');
    expect(geocodeCity('JE', 'saint-helier')?.name).toBe('Saint Helier');
  });

  it('picks the most populous of a shared name', () => {
    const city = geocodeCity('GB', 'Newport');
    expect(city?.population).toBeGreaterThan(100_000);
  });

  it('returns undefined when not found', () => {
    expect(geocodeCity('GB', 'Paris')).toBeUndefined();
    expect(geocodeCity('GB', undefined)).toBeUndefined();
    expect(geocodeCity('GB', '  ')).toBeUndefined();
    expect(geocodeCity('XX', 'London')).toBeUndefined();
  });
});

describe('largestCities', () => {
  it('lists cities largest first', () => {
    const cities = largestCities('GB', 5);
    expect(cities).toHaveLength(5);
    expect(cities[0]?.name).toBe('London');
    for (let index = 1; index < cities.length; index++) {
      expect(cities[index - 1]?.population).toBeGreaterThanOrEqual(cities[index]?.population ?? 0);
    }
  });

  it('returns nothing for an unknown country', () => {
    expect(largestCities('XX', 3)).toEqual([]);
  });
});

describe('greatCircleKm', () => {
  it('measures London to Paris', () => {
    expect(greatCircleKm(51.5074, -0.1278, 48.8566, 2.3522)).toBeCloseTo(343.5, 0);
  });

  it('is zero for one point', () => {
    expect(greatCircleKm(10, 20, 10, 20)).toBe(0);
  });
});
