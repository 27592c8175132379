/**
 * What talks to Anypoint over the network, as one bundle (dist/anypoint.cjs, with undici): the token request
 * and the Exchange probe. Loaded only by runs that make a request.
 */
export { checkCredentials } from "./token";
export { probeFacade, probePath, probeUrl } from "./facade";
