import { describe, expect, it } from 'vitest';
import { localTimeToIso } from '../../src/data/zonedTime.ts';

const at = (year: number, month: number, day: number, hour: number, minute: number) => ({ year, month, day, hour, minute, second: 0 });

describe('localTimeToIso', () => {
  it('uses GMT in winter', () => {
    expect(localTimeToIso(at(2010, 12, 1, 8, 26), 'Europe/London')).toBe('2010-12-01T08:26:00+00:00');
  });

  it('uses BST in summer', () => {
    expect(localTimeToIso(at(2011, 4, 18, 10, 0), 'Europe/London')).toBe('2011-04-18T10:00:00+01:00');
  });

  it('moves a skipped time forward', () => {
    expect(localTimeToIso(at(2011, 3, 27, 1, 30), 'Europe/London')).toBe('2011-03-27T02:30:00+01:00');
  });

  it('takes the earlier of a repeated time', () => {
    expect(localTimeToIso(at(2011, 10, 30, 1, 30), 'Europe/London')).toBe('2011-10-30T01:30:00+01:00');
  });

  it('handles offsets with minutes', () => {
    expect(localTimeToIso(at(2011, 1, 1, 0, 0), 'Asia/Kolkata')).toBe('2011-01-01T00:00:00+05:30');
    expect(localTimeToIso(at(2011, 1, 1, 0, 0), 'America/St_Johns')).toBe('2011-01-01T00:00:00-03:30');
  });
});
