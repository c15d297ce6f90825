import { FieldError } from './errors.ts';
import type { Coordinates, Geocoder } from './types.ts';

/** The place parts of a destination address that coordinates are resolved from. */
export interface PlaceFields {
  /** Path of the city in the source record, for error messages, such as `shipping_address.city`. */
  cityPath: string;
  country: string;
  city: string;
  /** Latitude in degrees, when the source sent one. */
  lat?: number | undefined;
  /** Longitude in degrees, when the source sent one. */
  lon?: number | undefined;
}

/**
 * Returns the coordinates of a destination. The source's own latitude and longitude win when both
 * are present and not (0, 0), which some platforms send for "unknown". Otherwise the geocoder looks
 * up the city, and a city it does not know throws `FieldError`.
 */
export function resolveCoordinates(place: PlaceFields, geocode: Geocoder): Coordinates {
  const { lat, lon } = place;
  if (lat !== undefined && lon !== undefined && !(lat === 0 && lon === 0)) return { lat, lon };

  const found = geocode(place.country, place.city);
  if (found === undefined) {
    throw new FieldError(
      place.cityPath,
      place.city,
      `a city that the geocoder knows in country "${place.country}", or latitude and longitude on the address`,
    );
  }
  return { lat: found.lat, lon: found.lon };
}
