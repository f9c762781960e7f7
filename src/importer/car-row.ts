/** A car as the importer stores it, keyed by its Back4App `objectId`. */
export interface CarRow {
  objectId: string;
  make: string;
  model: string;
  year: number;
  category: string;
}

const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value); // models like 911
  return undefined;
};

/** Maps one Parse row `{objectId, Year, Make, Model, Category}`; null when it cannot be stored whole. */
export function toCarRow(raw: unknown): CarRow | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const objectId = text(r.objectId);
  const make = text(r.Make);
  const model = text(r.Model);
  const year = typeof r.Year === 'number' ? r.Year : typeof r.Year === 'string' && /^\d{4}$/.test(r.Year.trim()) ? Number(r.Year) : NaN;
  if (!objectId || objectId.length > 32 || !make || make.length > 100 || !model || model.length > 150) return null;
  if (!Number.isInteger(year) || year < 1885 || year > 2100) return null;
  const category = typeof r.Category === 'string' ? r.Category.trim().slice(0, 255) : '';
  return { objectId, make, model, year, category };
}
