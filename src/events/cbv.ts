/**
 * CBV 2.0 vocabularies the capture interface checks against. Each value is
 * accepted in its bare form (`shipping`), as the EPCIS 1.x URN
 * (`urn:epcglobal:cbv:bizstep:shipping`) or as the CBV 2.0 web URI
 * (`https://ref.gs1.org/cbv/BizStep-shipping`, or compact `cbv:BizStep-shipping`),
 * and always stored in the bare form, which is what EPCIS 2.0 JSON-LD writes.
 */
export const BIZ_STEPS = [
  'accepting', 'arriving', 'assembling', 'collecting', 'commissioning', 'consigning',
  'creating_class_instance', 'cycle_counting', 'decommissioning', 'departing', 'destroying',
  'disassembling', 'dispensing', 'encoding', 'entering_exiting', 'holding', 'inspecting',
  'installing', 'killing', 'loading', 'other', 'packing', 'picking', 'receiving', 'removing',
  'repackaging', 'repairing', 'replacing', 'reserving', 'retail_selling', 'sampling',
  'sensor_reporting', 'shipping', 'staging_outbound', 'stock_taking', 'stocking', 'storing',
  'transporting', 'unloading', 'unpacking', 'void_shipping',
] as const;
export type BizStep = (typeof BIZ_STEPS)[number];

export const DISPOSITIONS = [
  'active', 'available', 'completeness_inferred', 'completeness_verified', 'conformant',
  'container_closed', 'container_open', 'damaged', 'destroyed', 'dispensed', 'disposed',
  'encoded', 'expired', 'in_progress', 'in_transit', 'inactive', 'mismatch_class',
  'mismatch_instance', 'mismatch_quantity', 'needs_replacement', 'no_pedigree_match',
  'non_conformant', 'non_sellable_other', 'partially_dispensed', 'recalled', 'reserved',
  'retail_sold', 'returned', 'sellable_accessible', 'sellable_not_accessible', 'stolen',
  'unavailable', 'unknown',
] as const;

export const SOURCE_DEST_TYPES = ['owning_party', 'possessing_party', 'location'] as const;
export const BIZ_TRANSACTION_TYPES = [
  'bol', 'cert', 'desadv', 'inv', 'pedigree', 'po', 'poc', 'prodorder', 'recadv', 'rma', 'testprd', 'testres', 'upevt',
] as const;
export const ERROR_REASONS = ['did_not_occur', 'incorrect_data'] as const;

type Vocabulary = { readonly values: readonly string[]; urn: string; web: string };

export const vocabularies = {
  bizStep: { values: BIZ_STEPS, urn: 'urn:epcglobal:cbv:bizstep:', web: 'BizStep-' },
  disposition: { values: DISPOSITIONS, urn: 'urn:epcglobal:cbv:disp:', web: 'Disp-' },
  sourceDestType: { values: SOURCE_DEST_TYPES, urn: 'urn:epcglobal:cbv:sdt:', web: 'SDT-' },
  bizTransactionType: { values: BIZ_TRANSACTION_TYPES, urn: 'urn:epcglobal:cbv:btt:', web: 'BTT-' },
  errorReason: { values: ERROR_REASONS, urn: 'urn:epcglobal:cbv:er:', web: 'ER-' },
} satisfies Record<string, Vocabulary>;

export type VocabularyName = keyof typeof vocabularies;

const WEB_PREFIXES = ['https://ref.gs1.org/cbv/', 'http://ref.gs1.org/cbv/', 'https://ns.gs1.org/cbv/', 'cbv:'];

/** The bare CBV value for any accepted spelling, or null when it is not in the vocabulary. */
export function normalizeCbv(name: VocabularyName, value: string): string | null {
  const vocab: Vocabulary = vocabularies[name];
  let bare = value;
  if (value.startsWith(vocab.urn)) bare = value.slice(vocab.urn.length);
  else {
    const prefix = WEB_PREFIXES.find((p) => value.startsWith(p + vocab.web));
    if (prefix) bare = value.slice(prefix.length + vocab.web.length);
  }
  return vocab.values.includes(bare) ? bare : null;
}

/** GS1 web vocabulary names of sensor measurement types (EPCIS 2.0 sensorReport `type`), bare; other types are URIs. */
export const MEASUREMENT_TYPES = [
  'AbsoluteHumidity', 'AbsorbedDose', 'AbsorbedDoseRate', 'Acceleration', 'Radioactivity', 'Altitude',
  'AmountOfSubstance', 'AmountOfSubstancePerUnitVolume', 'Angle', 'AngularAcceleration', 'AngularMomentum',
  'AngularVelocity', 'Area', 'Capacitance', 'Conductance', 'Conductivity', 'Count', 'Density',
  'Dimensionless', 'DoseEquivalent', 'DoseEquivalentRate', 'DynamicViscosity', 'ElectricCharge',
  'ElectricCurrent', 'ElectricCurrentDensity', 'ElectricFieldStrength', 'Energy', 'Exposure', 'Force',
  'Frequency', 'Illuminance', 'Inductance', 'Irradiance', 'KinematicViscosity', 'Length', 'LinearMomentum',
  'Luminance', 'LuminousFlux', 'LuminousIntensity', 'MagneticFlux', 'MagneticFluxDensity',
  'MagneticVectorPotential', 'Mass', 'MassConcentration', 'MassFlowRate', 'MassPerAreaTime',
  'MemoryCapacity', 'MolalityOfSolute', 'MolarEnergy', 'MolarMass', 'MolarVolume', 'Power', 'Pressure',
  'RadiantFlux', 'RadiantIntensity', 'RelativeHumidity', 'Resistance', 'Resistivity', 'SolidAngle',
  'SpecificVolume', 'Speed', 'SurfaceDensity', 'SurfaceTension', 'Temperature', 'Time', 'Torque', 'Voltage',
  'Volume', 'VolumeFlowRate', 'VolumeFraction', 'VolumetricFlux', 'Wavenumber',
] as const;
export const SENSOR_ALERT_TYPES = ['ALARM_CONDITION', 'ERROR_CONDITION'] as const;
/** CBV component names of a sensorReport (coordinates); others are URIs. */
export const SENSOR_COMPONENTS = [
  'x', 'y', 'z', 'axial_distance', 'azimuth', 'height', 'spherical_radius', 'polar_angle', 'elevation_angle',
  'easting', 'northing', 'latitude', 'longitude', 'altitude',
] as const;
