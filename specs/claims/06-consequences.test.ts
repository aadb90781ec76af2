import { verifySection } from './verify-section.js';

verifySection('Consequences');
