/** The logged-in user, for pages that adapt to it. */
import { createContext, useContext } from 'react';
import type { MeOut } from '../api/endpoints';

export const UserContext = createContext<MeOut | null>(null);

export function useUser(): MeOut | null {
  return useContext(UserContext);
}
