export { decodeXml, decodeXmlChunks, type XmlEncoding, xmlEncoding } from './decode.ts';
export * from './element.ts';
export * from './limits.ts';
export * from './parse.ts';
export * from './write.ts';
export * from './xml-error.ts';
