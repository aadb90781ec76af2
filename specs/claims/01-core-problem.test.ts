import { verifySection } from './verify-section.js';

verifySection('The Core Problem');
